import type { Id } from '../../../shared/ranking.ts';
import { defaultSources } from '../../../shared/sources.ts';
import type { PromptPair } from '../../ranking/pairs.ts';
import type { ExportPrompt, ExportResponse, PodiumProvenance } from '../export-types.ts';

/** The `podium` object every pair format appends unless metadata=false. */
/** `criterion` comes last and only when the prompt names it (every export from a project does). */
export function podiumProvenance(prompt: ExportPrompt, pair: PromptPair, chosen: ExportResponse, rejected: ExportResponse): PodiumProvenance {
  return {
    promptId: prompt.id,
    externalId: prompt.externalId,
    chosenId: pair.chosen,
    rejectedId: pair.rejected,
    chosenMeanRank: pair.chosenMeanRank,
    rejectedMeanRank: pair.rejectedMeanRank,
    votes: pair.votes,
    agreement: pair.agreement,
    labelers: pair.labelers,
    chosenModel: chosen.model,
    rejectedModel: rejected.model,
    sources: prompt.sources ?? defaultSources,
    ...(prompt.criterion === undefined ? {} : { criterion: prompt.criterion }),
  };
}

/** A pair only ever names responses of its own prompt, so a miss is a bug upstream, not bad data. */
export function responseOf(prompt: ExportPrompt, id: Id): ExportResponse {
  for (const response of prompt.responses) if (response.id === id) return response;
  throw new Error(`prompt ${String(prompt.id)} has no response ${String(id)}`);
}

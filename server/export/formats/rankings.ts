import type { Id, Ranking } from '../../../shared/ranking.ts';
import { consensusOrder } from '../../ranking/consensus.ts';
import { rankTable } from '../../ranking/mean-ranks.ts';
import type { ExportMessage, ExportPrompt } from '../export-types.ts';
import { chatMessages } from './trl-chat.ts';

/**
 * One line per prompt for listwise or Plackett-Luce training. `rankings[].ranks[i]` is that labeler's fractional
 * rank of `responses[i]` (null if they never saw it), so ties stay visible as equal ranks.
 */
export type RankingsLine = {
  promptId: Id;
  externalId: string | null;
  prompt: ExportMessage[];
  responses: { id: Id; text: string; model: string | null; meanRank: number | null }[];
  consensus: Ranking;
  rankings: { labeler: Id; ranks: (number | null)[] }[];
};

/** The whole prompt is Podium's own provenance, so metadata=false changes nothing here. */
export function rankingsLine(prompt: ExportPrompt): RankingsLine {
  const { size, ranks, means } = rankTable(prompt);
  const responses = prompt.responses.map((r, i) => ({ id: r.id, text: r.text, model: r.model, meanRank: finiteOrNull(means[i] as number) }));
  const meansById = new Map<Id, number>();
  for (const r of responses) if (r.meanRank !== null) meansById.set(r.id, r.meanRank);
  const rankings = prompt.rankings.map((r, l) => ({ labeler: r.labeler, ranks: ranks.slice(l * size, (l + 1) * size).map(finiteOrNull) }));
  return { promptId: prompt.id, externalId: prompt.externalId, prompt: chatMessages(prompt.messages), responses, consensus: consensusOrder(meansById), rankings };
}

function finiteOrNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

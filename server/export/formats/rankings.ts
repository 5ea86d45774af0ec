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
  /** `byCriterion`: this labeler's tiers under every criterion of the project, by key (with a criterion on the prompt). */
  rankings: { labeler: Id; ranks: (number | null)[]; byCriterion?: Record<string, Ranking> }[];
  /** Which criterion `meanRank`, `consensus` and `ranks` are of (a key, or "combined"). */
  criterion?: string;
};

/** The whole prompt is Podium's own provenance, so metadata=false changes nothing here. */
export function rankingsLine(prompt: ExportPrompt): RankingsLine {
  const { size, ranks, means } = rankTable(prompt);
  const responses = prompt.responses.map((r, i) => ({ id: r.id, text: r.text, model: r.model, meanRank: finiteOrNull(means[i] as number) }));
  const meansById = new Map<Id, number>();
  for (const r of responses) if (r.meanRank !== null) meansById.set(r.id, r.meanRank);
  const first = prompt.criteriaKeys?.[0];
  const rankings = prompt.rankings.map((r, l) => {
    const row = { labeler: r.labeler, ranks: ranks.slice(l * size, (l + 1) * size).map(finiteOrNull) };
    if (prompt.criterion === undefined) return row;
    // A one-criterion project stores no per-criterion copy: its tiers are the ranking itself.
    return { ...row, byCriterion: r.criteria ?? (first === undefined ? {} : { [first]: r.ranking }) };
  });
  const line: RankingsLine = { promptId: prompt.id, externalId: prompt.externalId, prompt: chatMessages(prompt.messages), responses, consensus: consensusOrder(meansById), rankings };
  if (prompt.criterion !== undefined) line.criterion = prompt.criterion;
  return line;
}

function finiteOrNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

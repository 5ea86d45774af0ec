import type { Id, Ranking } from '../../shared/ranking.ts';
import type { Votes } from '../ranking/pairs.ts';
import type { RankingSource } from '../../shared/sources.ts';
import type { Criterion } from '../../shared/criteria.ts';
import type { CriterionSelection } from '../ranking/criterion-selection.ts';

export type ExportMessage = { role: 'system' | 'user' | 'assistant'; content: string };
export type ExportResponse = { id: Id; text: string; model: string | null };

/**
 * One prompt as the export sees it; `rankings` holds only the rankings that count. The optional fields say why a
 * prompt might be left out (absent: 0 / false), so the summary can name the reason.
 */
export type ExportPrompt = {
  id: Id;
  externalId: string | null;
  messages: ExportMessage[];
  responses: ExportResponse[];
  /**
   * `ranking`: the tiers under the exported criterion; under `criterion=combined` the labeler's combined order, with
   * `ranks` (their weighted mean fractional ranks) that mean ranks and pairs read instead. `criteria`: every criterion's
   * tiers (null on a one-criterion project, whose only criterion is `criteriaKeys[0]` and its tiers `ranking`).
   */
  rankings: { labeler: Id; ranking: Ranking; ranks?: ReadonlyMap<Id, number> | undefined; criteria?: Record<string, Ranking> | null }[];
  /** The criterion the pairs and mean ranks are of (a key, or "combined"); pair provenance and rankings lines name it. */
  criterion?: string;
  /** The project's criterion keys, in order: a rankings line lists each labeler's ranking under each. */
  criteriaKeys?: readonly string[];
  /** The lead excluded the prompt. */
  excluded?: boolean;
  /** Kept "not rankable" answers: more of them than counted rankings leaves the prompt out. */
  notRankable?: number;
  /** Rankings that would count but were excluded (or whose labeler was). */
  excludedRankings?: number;
  /** Whose rankings `rankings` holds (absent: human only). */
  sources?: readonly RankingSource[];
};

/** Provenance carried by every pair line unless metadata=false. */
export type PodiumProvenance = {
  promptId: Id;
  externalId: string | null;
  chosenId: Id;
  rejectedId: Id;
  chosenMeanRank: number;
  rejectedMeanRank: number;
  votes: Votes;
  agreement: number;
  labelers: number;
  chosenModel: string | null;
  rejectedModel: string | null;
  /** Whose rankings the pair came from: human labelers, AI judges, or both. */
  sources: readonly RankingSource[];
  /** Which criterion's ranking the pair comes from (a key, or "combined"). */
  criterion?: string;
};

/**
 * What an export (or the leaderboard) reads: the criterion selection its rankings are read under, the project's
 * criteria (in order), and whose rankings (`sources`, default human); judges' rankings are read under the same selection.
 */
export type ExportRead = { selection: CriterionSelection; criteria: readonly Criterion[]; sources?: readonly RankingSource[] };

import type { Id, Ranking } from '../../shared/ranking.ts';
import type { Votes } from '../ranking/pairs.ts';
import type { RankingSource } from '../../shared/sources.ts';

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
  rankings: { labeler: Id; ranking: Ranking }[];
  /** The lead excluded the prompt. */
  excluded?: boolean;
  /** Kept "not rankable" answers: more of them than counted rankings leaves the prompt out. */
  notRankable?: number;
  /** Rankings that would count but were excluded (or whose labeler was). */
  excludedRankings?: number;
  /** Whose rankings `rankings` holds (absent: human only). */
  sources?: RankingSource[];
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
  sources: RankingSource[];
};

/** Whose rankings an export reads (`sources`, default human) and which criterion's judge rankings feed it. */
export type ExportRead = { sources: readonly RankingSource[]; criterion: string };

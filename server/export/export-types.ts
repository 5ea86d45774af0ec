import type { Id, Ranking } from '../../shared/ranking.ts';
import type { Votes } from '../ranking/pairs.ts';

export type ExportMessage = { role: 'system' | 'user' | 'assistant'; content: string };
export type ExportResponse = { id: Id; text: string; model: string | null };

/** One prompt as the export sees it; `rankings` holds only the rankings that count. */
export type ExportPrompt = {
  id: Id;
  externalId: string | null;
  messages: ExportMessage[];
  responses: ExportResponse[];
  rankings: { labeler: Id; ranking: Ranking }[];
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
};

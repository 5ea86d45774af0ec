import type { ChatMessage } from './messages.ts';
import type { Flag } from './tasks.ts';

export type PromptResult = {
  promptId: number;
  externalId: string;
  messages: ChatMessage[];
  responses: { id: number; text: string; model: string | null; meanRank: number | null }[];
  consensus: number[][];
  rankings: {
    rankingId: number;
    userId: number;
    username: string;
    ranking: number[][];
    notRankable: boolean;
    flags: Record<string, Flag[]>;
    comment: string;
    /** Response ids in the order this labeler was shown them: their letters A, B, … (in a comment too) follow it. */
    shownOrder: number[];
    durationMs: number | null;
    excluded: boolean;
  }[];
};

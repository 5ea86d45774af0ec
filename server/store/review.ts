import { all, get, run, type Engine } from './engine/sql.ts';
import { rankingCounts } from './counted-rankings.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import type { ReviewPromptInput } from '../review/review-rows.ts';

export type ReviewPromptState = { id: number; externalId: string; excluded: boolean; extraLabelers: number };

type PromptStateRow = { id: number; external_id: string; messages: string; excluded: number; extra_labelers: number };

/** A lead's review: every ranked prompt with its rankings in brief, and the switches that take things out of the data. */
export function reviewStore(engine: Engine) {
  return {
    /** Every ranked prompt of the project with its rankings, read in two passes rather than a query per prompt. */
    promptInputs(projectId: number): Promise<ReviewPromptInput[]> {
      return engine.read(
        (function* () {
          const prompts = yield* all<PromptStateRow>('SELECT id, external_id, messages, excluded, extra_labelers FROM prompts WHERE project_id = ? AND submitted > 0 ORDER BY id', projectId);
          // Whether a ranking counts here ignores the prompt's own exclusion: a lead reviewing an excluded prompt still
          // wants to see how its labelers agreed.
          const rankings = yield* all<{ prompt_id: number; tiers: string; counted: number; not_rankable: number; flags: string; has_comment: number }>(
            `SELECT r.prompt_id, r.tiers, CASE WHEN ${rankingCounts} THEN 1 ELSE 0 END AS counted,
                    r.not_rankable, r.flags, CASE WHEN r.comment <> '' THEN 1 ELSE 0 END AS has_comment
             FROM rankings r LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
             WHERE r.project_id = ? ORDER BY r.prompt_id, r.id`,
            projectId,
          );
          const byId = new Map<number, ReviewPromptInput>();
          const out: ReviewPromptInput[] = [];
          for (const p of prompts) {
            const input: ReviewPromptInput = {
              promptId: p.id,
              externalId: p.external_id,
              messages: JSON.parse(p.messages) as ChatMessage[],
              excluded: p.excluded === 1,
              extraLabelers: p.extra_labelers,
              rankings: [],
            };
            byId.set(p.id, input);
            out.push(input);
          }
          for (const r of rankings) {
            const flags = JSON.parse(r.flags) as Record<string, unknown[]>;
            byId.get(r.prompt_id)?.rankings.push({
              tiers: JSON.parse(r.tiers) as number[][],
              counted: r.counted === 1,
              notRankable: r.not_rankable === 1,
              flagged: Object.values(flags).some((list) => list.length > 0),
              commented: r.has_comment === 1,
            });
          }
          return out;
        })(),
      );
    },
    async prompt(projectId: number, promptId: number): Promise<(ReviewPromptState & { messages: ChatMessage[] }) | null> {
      const p = await engine.read(get<PromptStateRow>('SELECT id, external_id, messages, excluded, extra_labelers FROM prompts WHERE id = ? AND project_id = ?', promptId, projectId));
      return p ? { id: p.id, externalId: p.external_id, messages: JSON.parse(p.messages) as ChatMessage[], excluded: p.excluded === 1, extraLabelers: p.extra_labelers } : null;
    },
    /** Labelers of this prompt who are excluded from the project's figures. */
    async excludedAuthors(promptId: number): Promise<number[]> {
      const rows = await engine.read(
        all<{ user_id: number }>(
          `SELECT DISTINCT r.user_id FROM rankings r JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
           WHERE r.prompt_id = ? AND m.excluded = 1`,
          promptId,
        ),
      );
      return rows.map((r) => r.user_id);
    },
    /** False when the prompt is not this project's. Excluded prompts also leave the assignment pool (its index skips them). */
    async setPromptExcluded(projectId: number, promptId: number, excluded: boolean): Promise<boolean> {
      return (await engine.read(run('UPDATE prompts SET excluded = ? WHERE id = ? AND project_id = ?', excluded ? 1 : 0, promptId, projectId))) > 0;
    },
    /** One more place on the prompt: the pool offers it while `taken - extra_labelers < R`. Null when not this project's. */
    async addExtraLabeler(projectId: number, promptId: number): Promise<number | null> {
      const row = await engine.read(get<{ extra_labelers: number }>('UPDATE prompts SET extra_labelers = extra_labelers + 1 WHERE id = ? AND project_id = ? RETURNING extra_labelers', promptId, projectId));
      return row?.extra_labelers ?? null;
    },
    async setMemberExcluded(projectId: number, userId: number, excluded: boolean): Promise<boolean> {
      return (await engine.read(run('UPDATE project_members SET excluded = ? WHERE project_id = ? AND user_id = ?', excluded ? 1 : 0, projectId, userId))) > 0;
    },
    async setRankingExcluded(projectId: number, rankingId: number, excluded: boolean): Promise<boolean> {
      return (await engine.read(run('UPDATE rankings SET excluded = ? WHERE id = ? AND project_id = ?', excluded ? 1 : 0, rankingId, projectId))) > 0;
    },
  };
}

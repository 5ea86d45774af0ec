import { all, get, run, type Engine } from './engine/sql.ts';
import { rankingCounts } from './counted-rankings.ts';
import { parseCriteriaTiers } from './criteria-tiers.ts';
import { recountMember, recountPrompt } from './prompt-places.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import type { ReviewPromptInput } from '../review/review-rows.ts';

export type ReviewPromptState = { id: number; externalId: string; excluded: boolean; extraLabelers: number; keptRankings: number };

type PromptStateRow = { id: number; external_id: string; messages: string; excluded: number; extra_labelers: number; kept: number };

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
          const rankings = yield* all<{ prompt_id: number; tiers: string; criteria_tiers: string | null; counted: number; not_rankable: number; flags: string; has_comment: number }>(
            `SELECT r.prompt_id, r.tiers, r.criteria_tiers, CASE WHEN ${rankingCounts} THEN 1 ELSE 0 END AS counted,
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
              criteria: parseCriteriaTiers(r.criteria_tiers),
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
      const p = await engine.read(get<PromptStateRow>('SELECT id, external_id, messages, excluded, extra_labelers, kept FROM prompts WHERE id = ? AND project_id = ?', promptId, projectId));
      return p
        ? { id: p.id, externalId: p.external_id, messages: JSON.parse(p.messages) as ChatMessage[], excluded: p.excluded === 1, extraLabelers: p.extra_labelers, keptRankings: p.kept }
        : null;
    },
    /** How many labelers of the project the pool could still offer this prompt to. */
    async openToLabelers(projectId: number, promptId: number): Promise<number> {
      // Labelers of the project, not excluded, who have not ranked, skipped or leased it (the pool's own rule). Leads are
      // left out: they may label, but a lead is not who "send back" promises.
      const row = await engine.read(
        get<{ n: number }>(
          `SELECT count(*) AS n FROM project_members m
           WHERE m.project_id = ? AND m.role = 'labeler' AND m.excluded = 0
             AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.prompt_id = ? AND a.user_id = m.user_id AND a.state IN ('open', 'submitted', 'skipped'))`,
          projectId,
          promptId,
        ),
      );
      return row?.n ?? 0;
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
    /** One more place than the prompt holds: the pool offers it while `taken - extra_labelers < R` (taken: kept rankings + open leases). Null when not this project's. */
    async addExtraLabeler(project: { id: number; labelersPerPrompt: number }, promptId: number): Promise<number | null> {
      // One place more than the prompt holds now: after an exclusion was taken back it may hold more than R + extra, and a
      // place added below what it holds would be filled already, so nobody would be asked. (CASE: SQLite's two-argument max is not Postgres's.)
      const row = await engine.read(
        get<{ extra_labelers: number }>(
          'UPDATE prompts SET extra_labelers = CASE WHEN extra_labelers > taken - ? THEN extra_labelers ELSE taken - ? END + 1 WHERE id = ? AND project_id = ? RETURNING extra_labelers',
          project.labelersPerPrompt, project.labelersPerPrompt, promptId, project.id,
        ),
      );
      return row?.extra_labelers ?? null;
    },
    /** False when not a member. Excluding also ends their open task; either way the places of their prompts are recounted. */
    setMemberExcluded(projectId: number, userId: number, excluded: boolean, now = Date.now()): Promise<boolean> {
      // Each exclusion and the recount of the places it changes commit together, so the pool never sees one without the other.
      return engine.transaction(function* () {
        if ((yield* run('UPDATE project_members SET excluded = ? WHERE project_id = ? AND user_id = ?', excluded ? 1 : 0, projectId, userId)) === 0) return false;
        // An excluded labeler's open task ends with the exclusion: its place goes back to the pool at once.
        if (excluded) yield* run("UPDATE assignments SET state = 'expired', finished_at = ? WHERE project_id = ? AND user_id = ? AND state = 'open'", now, projectId, userId);
        yield* recountMember(projectId, userId);
        return true;
      });
    },
    /** False when the ranking is not this project's; the prompt's places are recounted. */
    setRankingExcluded(projectId: number, rankingId: number, excluded: boolean): Promise<boolean> {
      return engine.transaction(function* () {
        const row = yield* get<{ prompt_id: number }>('UPDATE rankings SET excluded = ? WHERE id = ? AND project_id = ? RETURNING prompt_id', excluded ? 1 : 0, rankingId, projectId);
        if (!row) return false;
        yield* recountPrompt(row.prompt_id);
        return true;
      });
    },
  };
}

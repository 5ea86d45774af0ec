import { all, get, run, type Engine, type Sql } from './engine/sql.ts';
import { recountPrompt } from './prompt-places.ts';
import { goldAnswersSql, toGoldAnswer, type GoldAnswerRow } from './gold-pool.ts';
import { checkRanking } from '../ranking/check-ranking.ts';
import { goldScore, type GoldScore } from '../quality/gold-score.ts';
import type { Project } from '../../shared/projects.ts';
import type { QualitySummary } from '../../shared/quality.ts';
import type { Id } from '../../shared/ranking.ts';

export type GoldOutcome = { ok: true; gold: number[][] | null } | { ok: false; status: 400 | 404; code: string; message: string };

/** Sets a prompt's known order; part of the caller's transaction (the import's, or a lead's PUT). */
export function* setGoldStep(project: Project, promptId: number, ranking: Id[][], now: number): Sql<GoldOutcome> {
  const prompt = yield* get<{ response_count: number; gold: string | null }>('SELECT response_count, gold FROM prompts WHERE id = ? AND project_id = ?', promptId, project.id);
  if (!prompt) return { ok: false, status: 404, code: 'not_found', message: `prompt ${promptId} is not in this project` };
  if (prompt.response_count !== project.responsesPerPrompt) {
    return { ok: false, status: 400, code: 'invalid_gold', message: `prompt ${promptId} has ${prompt.response_count} of ${project.responsesPerPrompt} responses; a known order ranks all of them` };
  }
  const ids = (yield* all<{ id: number }>('SELECT id FROM responses WHERE prompt_id = ? ORDER BY id', promptId)).map((r) => r.id);
  // A known order may tie responses even where labelers may not: it is what the labelers are scored against.
  const checked = checkRanking(ranking, ids, true);
  if (!checked.ok) return { ok: false, status: 400, code: 'invalid_gold', message: checked.message };
  yield* run('UPDATE prompts SET gold = ?, gold_at = coalesce(gold_at, ?) WHERE id = ?', JSON.stringify(checked.tiers), now, promptId);
  if (prompt.gold === null) yield* run('UPDATE projects SET gold_prompts = gold_prompts + 1 WHERE id = ?', project.id);
  // Its rankings stop being data (counted-rankings.ts), so its places are recounted from the rows.
  yield* recountPrompt(promptId);
  return { ok: true, gold: checked.tiers };
}

/** Labelers' gold scores over their gold answers since their last lifted pause, by labeler id. */
function* goldScores(projectId: number): Sql<Map<number, GoldScore>> {
  const byLabeler = new Map<number, GoldAnswerRow[]>();
  for (const r of yield* all<GoldAnswerRow>(goldAnswersSql(false), projectId)) byLabeler.set(r.user_id, [...(byLabeler.get(r.user_id) ?? []), r]);
  return new Map([...byLabeler].map(([id, rows]) => [id, goldScore(rows.map(toGoldAnswer))]));
}

const noGold: GoldScore = { tasks: 0, meanTauB: null, topMatch: null };

/** Gold prompts, auto-pause and adaptive overlap: what leads set, and what the dashboard and agreement page read. */
export function qualityStore(engine: Engine) {
  return {
    setGold(project: Project, promptId: number, ranking: Id[][], now = Date.now()): Promise<GoldOutcome> {
      return engine.transaction(() => setGoldStep(project, promptId, ranking, now));
    },
    /** Clears a prompt's known order: its rankings become data again and it rejoins the pool. Idempotent. */
    clearGold(project: Project, promptId: number): Promise<GoldOutcome> {
      return engine.transaction(function* (): Sql<GoldOutcome> {
        const prompt = yield* get<{ gold: string | null }>('SELECT gold FROM prompts WHERE id = ? AND project_id = ?', promptId, project.id);
        if (!prompt) return { ok: false, status: 404, code: 'not_found', message: `prompt ${promptId} is not in this project` };
        if (prompt.gold === null) return { ok: true, gold: null };
        yield* run('UPDATE prompts SET gold = NULL, gold_at = NULL WHERE id = ?', promptId);
        yield* run('UPDATE projects SET gold_prompts = gold_prompts - 1 WHERE id = ?', project.id);
        yield* recountPrompt(promptId);
        return { ok: true, gold: null };
      });
    },
    async gold(projectId: number, promptId: number): Promise<number[][] | null> {
      const row = await engine.read(get<{ gold: string | null }>('SELECT gold FROM prompts WHERE id = ? AND project_id = ?', promptId, projectId));
      return row?.gold ? (JSON.parse(row.gold) as number[][]) : null;
    },
    /**
     * A lead pauses (a reason) or lifts (null) a labeler's pause; false when not a member. Pausing ends their open task
     * (its place goes back to the pool); lifting starts their gold score afresh, so old answers cannot pause them again.
     */
    setPaused(projectId: number, userId: number, reason: string | null, now = Date.now()): Promise<boolean> {
      return engine.transaction(function* () {
        const changed =
          reason === null
            ? yield* run('UPDATE project_members SET paused_reason = NULL, gold_since = ? WHERE project_id = ? AND user_id = ?', now, projectId, userId)
            : yield* run('UPDATE project_members SET paused_reason = ? WHERE project_id = ? AND user_id = ?', reason, projectId, userId);
        if (changed === 0) return false;
        if (reason !== null) {
          const ended = yield* all<{ prompt_id: number }>(
            "UPDATE assignments SET state = 'expired', finished_at = ? WHERE project_id = ? AND user_id = ? AND state = 'open' RETURNING prompt_id",
            now, projectId, userId,
          );
          for (const a of ended) yield* recountPrompt(a.prompt_id);
        }
        return true;
      });
    },
    goldScores(projectId: number): Promise<Map<number, GoldScore>> {
      return engine.read(goldScores(projectId));
    },
    summary(project: Project): Promise<QualitySummary> {
      const r = project.labelersPerPrompt;
      return engine.read(
        (function* () {
          // Spent: rankings past what R and the lead's own extra places ask for, at most the adaptive places granted.
          const spentOf = `CASE WHEN kept - ? - (extra_labelers - adaptive_extra) <= 0 THEN 0
                                WHEN kept - ? - (extra_labelers - adaptive_extra) > adaptive_extra THEN adaptive_extra
                                ELSE kept - ? - (extra_labelers - adaptive_extra) END`;
          const totals = yield* get<{ granted: number; spent: number }>(
            `SELECT coalesce(sum(adaptive_extra), 0) AS granted, coalesce(sum(${spentOf}), 0) AS spent FROM prompts WHERE project_id = ? AND adaptive_extra > 0`,
            r, r, r, project.id,
          );
          const extra = yield* all<{ id: number; external_id: string; adaptive_extra: number; kept: number }>(
            'SELECT id, external_id, adaptive_extra, kept FROM prompts WHERE project_id = ? AND adaptive_extra > 0 ORDER BY adaptive_extra DESC, id LIMIT 50',
            project.id,
          );
          const paused = yield* all<{ user_id: number; username: string; paused_reason: string }>(
            `SELECT m.user_id, u.username, m.paused_reason FROM project_members m JOIN users u ON u.id = m.user_id
             WHERE m.project_id = ? AND m.paused_reason IS NOT NULL ORDER BY u.username`,
            project.id,
          );
          const scores = paused.length ? yield* goldScores(project.id) : new Map<number, GoldScore>();
          return {
            goldPrompts: project.goldPrompts,
            extraLabelsGranted: Number(totals?.granted ?? 0),
            extraLabelsSpent: Number(totals?.spent ?? 0),
            extraPrompts: extra.map((p) => ({ promptId: p.id, externalId: p.external_id, extra: p.adaptive_extra, rankings: p.kept })),
            paused: paused.map((m) => ({ userId: m.user_id, username: m.username, reason: m.paused_reason, gold: scores.get(m.user_id) ?? noGold })),
          };
        })(),
      );
    },
  };
}

import { all, get, type Engine, type Sql } from './engine/sql.ts';
import { rankingCounts } from './counted-rankings.ts';
import type { RankingRecord } from '../metrics/agreement-report.ts';
import type { ExcludedLabeler } from '../../shared/review.ts';
import type { Id } from '../../shared/ranking.ts';
import { rankingUnder, type CriterionSelection, type StoredRanking } from '../ranking/criterion-selection.ts';
import { parseCriteriaTiers } from './criteria-tiers.ts';

// The same rule as results and export (server/store/results.ts): a ranking counts unless it, its labeler in this
// project or its prompt was excluded, or it says "not rankable".
const countedExpr = `${rankingCounts} AND p.excluded = 0`;

/** The audit target of a member's exclusion, so the dashboard can say who excluded a labeler, when and why. */
export const memberTarget = (projectId: number, userId: number): string => `${membersTarget(projectId)}${userId}`;
const membersTarget = (projectId: number): string => `projects/${projectId}/members/`;

/** A ranking's flags are `{responseId: [flag, …]}`; empty lists (a flag toggled off) do not make it flagged. */
function hasFlags(json: string): boolean {
  if (json === '{}') return false;
  const flags = JSON.parse(json) as Record<string, unknown[]>;
  return Object.values(flags).some((list) => list.length > 0);
}

/** A counted ranking in the CLI's record shape (`ranking`: the first criterion's tiers) with every criterion's tiers. */
export type StoredRankingRecord = RankingRecord & StoredRanking<Id>;

/**
 * A project's counted rankings in the CLI's record shape; a step the leaderboard's read shares. `ranking` is the
 * criterion's tiers under the selection (default: the first criterion, as stored).
 */
export function* countedRankings(projectId: number, selection?: CriterionSelection): Sql<StoredRankingRecord[]> {
  const rows = yield* all<{ prompt_id: number; user_id: number; tiers: string; criteria_tiers: string | null; shown_first: number | null; duration_ms: number | null; flags: string }>(
    `SELECT r.prompt_id, r.user_id, r.tiers, r.criteria_tiers, r.shown_first, r.duration_ms, r.flags
     FROM rankings r JOIN prompts p ON p.id = r.prompt_id
     LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
     WHERE r.project_id = ? AND ${countedExpr}
     ORDER BY r.prompt_id, r.id`,
    projectId,
  );
  const out: StoredRankingRecord[] = [];
  for (const r of rows) {
    const stored: StoredRanking<Id> = { ranking: JSON.parse(r.tiers) as number[][], criteria: parseCriteriaTiers(r.criteria_tiers) };
    const ranking = selection === undefined || selection.first ? stored.ranking : rankingUnder(stored, selection).ranking;
    const record: StoredRankingRecord = { prompt: r.prompt_id, labeler: r.user_id, ranking, criteria: stored.criteria, flagged: hasFlags(r.flags) };
    if (r.shown_first !== null) record.shownFirst = r.shown_first;
    if (r.duration_ms !== null) record.durationMs = r.duration_ms;
    out.push(record);
  }
  return out;
}

/** What the agreement figures read: a project's counted rankings in the CLI's record shape, its skips, and who is who. */
export function agreementSource(engine: Engine) {
  return {
    /** When the counted rankings were submitted (ms since the epoch), for a dataset card's dates. */
    async labelingPeriod(projectId: number): Promise<{ first: number | null; last: number | null }> {
      const row = await engine.read(
        get<{ first: number | null; last: number | null }>(
          // "first" and "last" are quoted: keywords in Postgres.
          `SELECT min(r.created_at) AS "first", max(r.created_at) AS "last"
           FROM rankings r JOIN prompts p ON p.id = r.prompt_id
           LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
           WHERE r.project_id = ? AND ${countedExpr}`,
          projectId,
        ),
      );
      return row ?? { first: null, last: null };
    },
    /** Counted rankings ordered by prompt then ranking id, so the same rankings always give the same bootstrap draws. */
    rankings(projectId: number, selection?: CriterionSelection): Promise<StoredRankingRecord[]> {
      return engine.read(countedRankings(projectId, selection));
    },
    /** Skips on prompts and by labelers that still count, so a skip rate and a ranking count describe the same work. */
    async skipped(projectId: number): Promise<{ labeler: number; prompt: number }[]> {
      const rows = await engine.read(
        all<{ user_id: number; prompt_id: number }>(
          `SELECT a.user_id, a.prompt_id FROM assignments a JOIN prompts p ON p.id = a.prompt_id
           LEFT JOIN project_members m ON m.project_id = a.project_id AND m.user_id = a.user_id
           WHERE a.project_id = ? AND a.state = 'skipped' AND p.excluded = 0 AND coalesce(m.excluded, 0) = 0`,
          projectId,
        ),
      );
      return rows.map((s) => ({ labeler: s.user_id, prompt: s.prompt_id }));
    },
    async usernames(projectId: number): Promise<Map<number, string>> {
      const rows = await engine.read(
        all<{ id: number; username: string }>(
          `SELECT u.id, u.username FROM users u
           WHERE u.id IN (SELECT user_id FROM project_members WHERE project_id = ?)
              OR u.id IN (SELECT DISTINCT user_id FROM rankings WHERE project_id = ?)`,
          projectId,
          projectId,
        ),
      );
      return new Map(rows.map((u) => [u.id, u.username]));
    },
    async excludedLabelers(projectId: number): Promise<ExcludedLabeler[]> {
      const rows = await engine.read(
        all<{ user_id: number; username: string; rankings: number; detail: string | null; by: string | null; at: string | null }>(
          // "by" is quoted: a reserved word in Postgres.
          `SELECT m.user_id, u.username,
                  (SELECT count(*) FROM rankings r WHERE r.project_id = m.project_id AND r.user_id = m.user_id) AS rankings,
                  l.detail, lu.username AS "by", l.at
           FROM project_members m JOIN users u ON u.id = m.user_id
           LEFT JOIN audit_log l ON l.id = (
             SELECT max(id) FROM audit_log WHERE action = 'member.exclude' AND target = CAST(? AS TEXT) || m.user_id)
           LEFT JOIN users lu ON lu.id = l.user_id
           WHERE m.project_id = ? AND m.excluded = 1 ORDER BY u.username`,
          membersTarget(projectId),
          projectId,
        ),
      );
      return rows.map((m) => {
        const detail = m.detail ? (JSON.parse(m.detail) as { reason?: string }) : null;
        return { userId: m.user_id, username: m.username, rankings: m.rankings, reason: detail?.reason ?? null, by: m.by, at: m.at };
      });
    },
  };
}

import type { Db } from './db.ts';
import { rankingCounts } from './counted-rankings.ts';
import type { RankingRecord } from '../metrics/agreement-report.ts';
import type { ExcludedLabeler } from '../../shared/review.ts';

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

/** What the agreement figures read: a project's counted rankings in the CLI's record shape, its skips, and who is who. */
export function agreementSource(db: Db) {
  const counted = db.prepare<[number], { prompt_id: number; user_id: number; tiers: string; shown_first: number | null; duration_ms: number | null; flags: string }>(
    `SELECT r.prompt_id, r.user_id, r.tiers, r.shown_first, r.duration_ms, r.flags
     FROM rankings r JOIN prompts p ON p.id = r.prompt_id
     LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
     WHERE r.project_id = ? AND ${countedExpr}
     ORDER BY r.prompt_id, r.id`,
  );
  // Skips on prompts and by labelers that still count, so a skip rate and a ranking count describe the same work.
  const skipped = db.prepare<[number], { user_id: number; prompt_id: number }>(
    `SELECT a.user_id, a.prompt_id FROM assignments a JOIN prompts p ON p.id = a.prompt_id
     LEFT JOIN project_members m ON m.project_id = a.project_id AND m.user_id = a.user_id
     WHERE a.project_id = ? AND a.state = 'skipped' AND p.excluded = 0 AND coalesce(m.excluded, 0) = 0`,
  );
  const people = db.prepare<{ project: number }, { id: number; username: string }>(
    `SELECT u.id, u.username FROM users u
     WHERE u.id IN (SELECT user_id FROM project_members WHERE project_id = @project)
        OR u.id IN (SELECT DISTINCT user_id FROM rankings WHERE project_id = @project)`,
  );
  const excludedMembers = db.prepare<{ project: number; prefix: string }, { user_id: number; username: string; rankings: number; detail: string | null; by: string | null; at: string | null }>(
    `SELECT m.user_id, u.username,
            (SELECT count(*) FROM rankings r WHERE r.project_id = m.project_id AND r.user_id = m.user_id) AS rankings,
            l.detail, lu.username AS by, l.at
     FROM project_members m JOIN users u ON u.id = m.user_id
     LEFT JOIN audit_log l ON l.id = (
       SELECT max(id) FROM audit_log WHERE action = 'member.exclude' AND target = @prefix || m.user_id)
     LEFT JOIN users lu ON lu.id = l.user_id
     WHERE m.project_id = @project AND m.excluded = 1 ORDER BY u.username`,
  );
  const period = db.prepare<[number], { first: number | null; last: number | null }>(
    `SELECT min(r.created_at) AS first, max(r.created_at) AS last
     FROM rankings r JOIN prompts p ON p.id = r.prompt_id
     LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
     WHERE r.project_id = ? AND ${countedExpr}`,
  );

  return {
    /** When the counted rankings were submitted (ms since the epoch), for a dataset card's dates. */
    labelingPeriod(projectId: number): { first: number | null; last: number | null } {
      return period.get(projectId) ?? { first: null, last: null };
    },
    /** Counted rankings ordered by prompt then ranking id, so the same rankings always give the same bootstrap draws. */
    rankings(projectId: number): RankingRecord[] {
      const out: RankingRecord[] = [];
      for (const r of counted.iterate(projectId)) {
        const record: RankingRecord = { prompt: r.prompt_id, labeler: r.user_id, ranking: JSON.parse(r.tiers) as number[][], flagged: hasFlags(r.flags) };
        if (r.shown_first !== null) record.shownFirst = r.shown_first;
        if (r.duration_ms !== null) record.durationMs = r.duration_ms;
        out.push(record);
      }
      return out;
    },
    skipped(projectId: number): { labeler: number; prompt: number }[] {
      return skipped.all(projectId).map((s) => ({ labeler: s.user_id, prompt: s.prompt_id }));
    },
    usernames(projectId: number): Map<number, string> {
      return new Map(people.all({ project: projectId }).map((u) => [u.id, u.username]));
    },
    excludedLabelers(projectId: number): ExcludedLabeler[] {
      return excludedMembers.all({ project: projectId, prefix: membersTarget(projectId) }).map((m) => {
        const detail = m.detail ? (JSON.parse(m.detail) as { reason?: string }) : null;
        return { userId: m.user_id, username: m.username, rankings: m.rankings, reason: detail?.reason ?? null, by: m.by, at: m.at };
      });
    },
  };
}

import type { Db } from './db.ts';
import type { Statement } from 'better-sqlite3';

/** Whose a resource is, for the access check: the project behind an assignment or a generation job. */
export function resourceOwnersStore(db: Db) {
  const assignment = db.prepare<[number], { project_id: number; user_id: number }>('SELECT project_id, user_id FROM assignments WHERE id = ?');
  // generation_jobs belongs to the sampling migration; prepared on first use so this file does not depend on its order.
  let job: Statement<[number], { project_id: number }> | null = null;
  return {
    assignment(id: number): { projectId: number; userId: number } | null {
      const row = assignment.get(id);
      return row ? { projectId: row.project_id, userId: row.user_id } : null;
    },
    jobProject(id: number): number | null {
      job ??= db.prepare<[number], { project_id: number }>('SELECT project_id FROM generation_jobs WHERE id = ?');
      return job.get(id)?.project_id ?? null;
    },
  };
}

import { get, type Engine } from './engine/sql.ts';

/** Whose a resource is, for the access check: the project behind an assignment or a generation job. */
export function resourceOwnersStore(engine: Engine) {
  return {
    async assignment(id: number): Promise<{ projectId: number; userId: number } | null> {
      const row = await engine.read(get<{ project_id: number; user_id: number }>('SELECT project_id, user_id FROM assignments WHERE id = ?', id));
      return row ? { projectId: row.project_id, userId: row.user_id } : null;
    },
    async jobProject(id: number): Promise<number | null> {
      return (await engine.read(get<{ project_id: number }>('SELECT project_id FROM generation_jobs WHERE id = ?', id)))?.project_id ?? null;
    },
  };
}

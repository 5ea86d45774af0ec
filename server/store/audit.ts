import { run, type Engine, type Sql } from './engine/sql.ts';

/** One audit line, as a program so a change and its audit line can share a transaction. */
export const auditLine = (userId: number | null, action: string, target?: string, detail?: unknown): Sql<number> =>
  run('INSERT INTO audit_log (user_id, action, target, detail) VALUES (?, ?, ?, ?)', userId, action, target ?? null, detail === undefined ? null : JSON.stringify(detail));

export function auditStore(engine: Engine) {
  return {
    async record(userId: number | null, action: string, target?: string, detail?: unknown): Promise<void> {
      await engine.read(auditLine(userId, action, target, detail));
    },
  };
}

import type { Db } from './db.ts';

export function auditStore(db: Db) {
  const insert = db.prepare<[number | null, string, string | null, string | null]>('INSERT INTO audit_log (user_id, action, target, detail) VALUES (?, ?, ?, ?)');
  return {
    record(userId: number | null, action: string, target?: string, detail?: unknown): void {
      insert.run(userId, action, target ?? null, detail === undefined ? null : JSON.stringify(detail));
    },
  };
}

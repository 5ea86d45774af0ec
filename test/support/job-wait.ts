import { expect } from 'vitest';
import Database from 'better-sqlite3';
import type { ApiClient } from './test-server.ts';
import type { GenerationJob } from '../../shared/sampling.ts';

/** Polls a generation (or judge) job until `until` holds; fails with the job's last state after `patienceMs`. */
export async function waitForJob(admin: ApiClient, id: number, until: (j: GenerationJob) => boolean, patienceMs = 90_000): Promise<GenerationJob> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const res = await admin.get(`/api/generation-jobs/${id}`);
    expect(res.status).toBe(200);
    const job = res.body.job as GenerationJob;
    if (until(job)) return job;
    if (Date.now() > deadline) throw new Error(`job still ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads a product's SQLite file directly (read-only), as an operator inspecting it after a crash would. */
export function readSqlite<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

import { describe, expect, it } from 'vitest';
import { migrate, openDb } from '../../../server/store/db.ts';

// A database from before migration 008, where a prompt's places were open leases + every submitted ranking: the
// migration must recount them as open leases + kept rankings, and end the open lease an excluded labeler still held.
describe('migration 008: places are kept rankings + open leases', () => {
  it('recounts an existing database where a labeler and a ranking were already excluded', () => {
    const db = openDb(':memory:');
    try {
      db.exec(`
        INSERT INTO users (id, username, password_hash, role) VALUES (1, 'ana', 'x', 'labeler'), (2, 'ben', 'x', 'labeler'), (3, 'cy', 'x', 'labeler');
        INSERT INTO projects (id, name, responses_per_prompt, labelers_per_prompt) VALUES (1, 'old', 2, 2);
        INSERT INTO project_members (project_id, user_id, excluded) VALUES (1, 1, 0), (1, 2, 1), (1, 3, 0);
        INSERT INTO prompts (id, project_id, external_id, messages, response_count, taken, submitted) VALUES
          (10, 1, 'p1', '[]', 2, 2, 2), (11, 1, 'p2', '[]', 2, 2, 1);
        INSERT INTO assignments (id, project_id, prompt_id, user_id, display_order, state, created_at, expires_at) VALUES
          (1, 1, 10, 1, '[]', 'submitted', 0, 9e15), (2, 1, 10, 2, '[]', 'submitted', 0, 9e15),
          (3, 1, 11, 3, '[]', 'submitted', 0, 9e15), (4, 1, 11, 2, '[]', 'open', 0, 9e15);
        INSERT INTO rankings (assignment_id, project_id, prompt_id, user_id, tiers, payload, excluded, created_at) VALUES
          (1, 1, 10, 1, '[]', '', 0, 0), (2, 1, 10, 2, '[]', '', 0, 0), (3, 1, 11, 3, '[]', '', 1, 0);
      `);
      // Back to the shape before 008 (and the later migrations): no kept column, the old meaning of taken, the version of 007.
      db.exec('ALTER TABLE prompts DROP COLUMN kept; ALTER TABLE projects DROP COLUMN criteria; ALTER TABLE rankings DROP COLUMN criteria_tiers;');
      // And before 011: its columns go, and the pool's index is 001's again.
      db.exec(`DROP INDEX prompts_gold; DROP INDEX prompts_pool;
        CREATE INDEX prompts_pool ON prompts(project_id, (taken - extra_labelers) DESC, id) WHERE excluded = 0;
        ${['gold', 'gold_at', 'adaptive_extra'].map((c) => `ALTER TABLE prompts DROP COLUMN ${c};`).join(' ')}
        ${['gold_rate', 'gold_min_tasks', 'gold_min_tau_b', 'max_labelers_per_prompt', 'min_kendall_w', 'gold_prompts'].map((c) => `ALTER TABLE projects DROP COLUMN ${c};`).join(' ')}
        ${['paused_reason', 'gold_since', 'tasks_seen', 'gold_seen'].map((c) => `ALTER TABLE project_members DROP COLUMN ${c};`).join(' ')}`);
      // And before 012: jobs have no kind, and the judges' tables go.
      db.exec(`DROP INDEX judge_jobs_one_active; DROP INDEX generation_jobs_one_active; ALTER TABLE generation_jobs DROP COLUMN judge_id; ALTER TABLE generation_jobs DROP COLUMN kind;
        CREATE UNIQUE INDEX generation_jobs_one_active ON generation_jobs(project_id) WHERE status IN ('queued', 'running');
        DROP TABLE judge_failures; DROP TABLE judge_rankings; DROP TABLE judges;`);
      // And before 013 and 014: the webhooks' and the import stage's tables go.
      db.exec(`DROP TABLE webhook_attempts; DROP TABLE webhook_deliveries; DROP TABLE webhook_events; DROP TABLE webhooks;
        DROP TABLE import_stage_responses; DROP TABLE import_stage_prompts; DROP TABLE import_batches; PRAGMA user_version = 7;`);
      migrate(db);
      // p1: ana's ranking counts, ben is excluded. p2: cy's ranking is excluded, and ben's open lease has ended.
      expect(db.prepare('SELECT external_id AS ext, kept, taken, submitted FROM prompts ORDER BY id').all()).toEqual([
        { ext: 'p1', kept: 1, taken: 1, submitted: 2 },
        { ext: 'p2', kept: 0, taken: 0, submitted: 1 },
      ]);
      expect(db.prepare('SELECT state, finished_at > 0 AS finished FROM assignments WHERE id = 4').get()).toEqual({ state: 'expired', finished: 1 });
    } finally {
      db.close();
    }
  });
});

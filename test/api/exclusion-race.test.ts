import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';
import { testEngine } from '../support/test-database.ts';

// Several servers on one Postgres: a lead excludes a ranking on one while another server is in the middle of leasing
// the same prompt. SQLite has one writer, so the two cannot overlap there.
describe.skipIf(testEngine !== 'postgres')('an exclusion while a lease of the same prompt is in flight', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('recounts the prompt with the lease that committed meanwhile, so its place is not handed out twice', async () => {
    const created = await server.admin.post('/api/projects', { name: 'race', responsesPerPrompt: 2, labelersPerPrompt: 2 });
    const projectId = created.body.project.id as number;
    await server.admin.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'p1', prompt: 'Why?', responses: ['a', 'b'] }]));
    const ana = await userClient(server, 'ana');
    const ben = await userClient(server, 'ben');
    for (const u of [ana, ben]) await server.admin.post(`/api/projects/${projectId}/members`, { userId: u.id, role: 'labeler' });
    const task = (await ana.client.post(`/api/projects/${projectId}/tasks/next`)).body.assignment as { id: number; prompt: { id: number }; responses: { id: number }[] };
    const submitted = await ana.client.post(`/api/assignments/${task.id}/submit`, { ranking: task.responses.map((r) => [r.id]) });
    expect(submitted.status).toBe(201);

    // Another server's lease of the prompt for ben, holding the prompt row until it commits (as leaseNext does).
    const other = new pg.Client({ connectionString: server.dbEnv.PODIUM_DATABASE_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM prompts WHERE id = $1 FOR UPDATE', [task.prompt.id]);
      await other.query(
        "INSERT INTO assignments (project_id, prompt_id, user_id, display_order, state, created_at, expires_at) VALUES ($1, $2, $3, '[]', 'open', $4, $5)",
        [projectId, task.prompt.id, ben.id, Date.now(), Date.now() + 60_000],
      );
      await other.query('UPDATE prompts SET taken = taken + 1 WHERE id = $1', [task.prompt.id]);
      const exclusion = server.store.review.setRankingExcluded(projectId, submitted.body.ranking.id, true);
      // Let the exclusion reach the prompt row and wait on it; were it later, it would find the lease committed anyway.
      await new Promise((r) => setTimeout(r, 300));
      await other.query('COMMIT');
      expect(await exclusion).toBe(true);
    } finally {
      await other.end();
    }
    const row = await server.store.engine.get<{ kept: number; taken: number }>('SELECT kept, taken FROM prompts WHERE id = ?', task.prompt.id);
    // Ana's ranking no longer holds a place; ben's open lease does.
    expect(row).toEqual({ kept: 0, taken: 1 });
  });
});

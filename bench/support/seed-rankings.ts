import { get, type Engine, type SqlValue } from '../../server/store/engine/sql.ts';
import { insertRows } from '../../server/store/engine/bulk-insert.ts';
import { seededRandom } from '../../server/metrics/bootstrap.ts';

const nextId = async (engine: Engine, table: string): Promise<number> => ((await engine.read(get<{ n: number }>(`SELECT coalesce(max(id), 0) AS n FROM ${table}`)))?.n ?? 0) + 1;

/** `count` ranking ids from `first`, in order or (with a random source) shuffled by Fisher–Yates. */
function rankingIdOrder(first: number, count: number, rand: (() => number) | null): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => first + i);
  if (rand)
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
  return order;
}

/**
 * Writes a ranked project straight into the database (either engine): `prompts` prompts with K responses,
 * each ranked by `labelers` labelers who mostly agree (a shared latent order plus noise), occasionally tying.
 * Rows carry their ids so they go in as multi-row inserts. `scattered`: the rankings' ids (their place in the table) are
 * a random permutation rather than prompt by prompt, as labelers working at their own pace, extra labelers on disputed
 * prompts and late corrections leave them in a project that has been labelled for a while.
 */
export async function seedRankedProject(engine: Engine, opts: { prompts: number; k: number; labelers: number; seed?: number; scattered?: boolean }): Promise<number> {
  const rand = seededRandom(opts.seed ?? 1);
  const ids = { user: await nextId(engine, 'users'), project: await nextId(engine, 'projects'), prompt: await nextId(engine, 'prompts'), response: await nextId(engine, 'responses'), assignment: await nextId(engine, 'assignments'), ranking: await nextId(engine, 'rankings') };
  const projectId = ids.project;
  const users = Array.from({ length: opts.labelers }, (_, i) => ids.user + i);
  await engine.transaction(function* () {
    yield* insertRows('users', ['id', 'username', 'password_hash', 'role'], users.map((u, i) => [u, `seed-labeler-${i}-${Date.now()}`, 'x', 'labeler']));
    yield* insertRows('projects', ['id', 'name', 'responses_per_prompt', 'labelers_per_prompt'], [[projectId, 'seeded', opts.k, opts.labelers]]);
    yield* insertRows('project_members', ['project_id', 'user_id', 'role'], users.map((u) => [projectId, u, 'labeler']));
  });
  let promptId = ids.prompt;
  let responseId = ids.response;
  let assignmentId = ids.assignment;
  const rankingIds = rankingIdOrder(ids.ranking, opts.prompts * opts.labelers, opts.scattered ? rand : null);
  let ranking = 0;
  for (let from = 0; from < opts.prompts; from += 5000) {
    const prompts: SqlValue[][] = [];
    const responses: SqlValue[][] = [];
    const assignments: SqlValue[][] = [];
    const rankings: SqlValue[][] = [];
    for (let p = from; p < Math.min(opts.prompts, from + 5000); p++) {
      const messages = JSON.stringify([{ role: 'user', content: `Prompt ${p}: explain the idea in two short paragraphs for a curious reader.` }]);
      const prompt = promptId++;
      // Every seeded ranking is kept, so it holds a place (migration 008).
      prompts.push([prompt, projectId, `seed-${p}`, messages, opts.k, opts.labelers, opts.labelers, opts.labelers]);
      const rids: number[] = [];
      const quality: number[] = [];
      for (let j = 0; j < opts.k; j++) {
        const id = responseId++;
        responses.push([id, prompt, `Response ${j} to prompt ${p}. `.repeat(12), j % 2 ? 'sft-v1' : 'sft-v2', 'import']);
        rids.push(id);
        quality.push(rand());
      }
      const order = JSON.stringify(rids);
      for (const u of users) {
        const noisy = rids.map((id, j) => ({ id, q: (quality[j] ?? 0) + (rand() - 0.5) * 0.6 })).sort((a, b) => b.q - a.q);
        const tiers: number[][] = [];
        for (const x of noisy) {
          const last = tiers[tiers.length - 1];
          if (last && rand() < 0.08) last.push(x.id);
          else tiers.push([x.id]);
        }
        const assignment = assignmentId++;
        assignments.push([assignment, projectId, prompt, u, order, 'submitted', 0, 0, 0]);
        const tiersJson = JSON.stringify(tiers);
        rankings.push([rankingIds[ranking++] as number, assignment, projectId, prompt, u, tiersJson, tiersJson, 0]);
      }
    }
    await engine.transaction(function* () {
      yield* insertRows('prompts', ['id', 'project_id', 'external_id', 'messages', 'response_count', 'taken', 'submitted', 'kept'], prompts);
      yield* insertRows('responses', ['id', 'prompt_id', 'text', 'model', 'source'], responses);
      yield* insertRows('assignments', ['id', 'project_id', 'prompt_id', 'user_id', 'display_order', 'state', 'created_at', 'expires_at', 'finished_at'], assignments);
      yield* insertRows('rankings', ['id', 'assignment_id', 'project_id', 'prompt_id', 'user_id', 'tiers', 'payload', 'created_at'], rankings);
    });
  }
  await engine.resetSequences();
  return projectId;
}

import type { Db } from '../../server/store/db.ts';
import { seededRandom } from '../../server/metrics/bootstrap.ts';

/**
 * Writes a ranked project straight into SQLite: `prompts` prompts with K responses, each ranked by
 * `labelers` labelers who mostly agree (a shared latent order plus noise), occasionally tying.
 */
export function seedRankedProject(db: Db, opts: { prompts: number; k: number; labelers: number; seed?: number }): number {
  const rand = seededRandom(opts.seed ?? 1);
  const users = Array.from({ length: opts.labelers }, (_, i) => Number(db.prepare("INSERT INTO users (username, password_hash, role) VALUES (?, 'x', 'labeler')").run(`seed-labeler-${i}-${Date.now()}`).lastInsertRowid));
  const projectId = Number(
    db.prepare('INSERT INTO projects (name, responses_per_prompt, labelers_per_prompt) VALUES (?, ?, ?)').run('seeded', opts.k, opts.labelers).lastInsertRowid,
  );
  for (const u of users) db.prepare("INSERT INTO project_members (project_id, user_id, role) VALUES (?, ?, 'labeler')").run(projectId, u);
  const insPrompt = db.prepare('INSERT INTO prompts (project_id, external_id, messages, response_count, taken, kept, submitted) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insResponse = db.prepare("INSERT INTO responses (prompt_id, text, model, source) VALUES (?, ?, ?, 'import')");
  const insAssignment = db.prepare("INSERT INTO assignments (project_id, prompt_id, user_id, display_order, state, created_at, expires_at, finished_at) VALUES (?, ?, ?, ?, 'submitted', 0, 0, 0)");
  const insRanking = db.prepare('INSERT INTO rankings (assignment_id, project_id, prompt_id, user_id, tiers, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, 0)');
  const batch = db.transaction((from: number, to: number) => {
    for (let p = from; p < to; p++) {
      const messages = JSON.stringify([{ role: 'user', content: `Prompt ${p}: explain the idea in two short paragraphs for a curious reader.` }]);
      const promptId = Number(insPrompt.run(projectId, `seed-${p}`, messages, opts.k, opts.labelers, opts.labelers, opts.labelers).lastInsertRowid);
      const ids: number[] = [];
      const quality: number[] = [];
      for (let j = 0; j < opts.k; j++) {
        ids.push(Number(insResponse.run(promptId, `Response ${j} to prompt ${p}. `.repeat(12), j % 2 ? 'sft-v1' : 'sft-v2').lastInsertRowid));
        quality.push(rand());
      }
      const order = JSON.stringify(ids);
      for (const u of users) {
        const noisy = ids.map((id, j) => ({ id, q: (quality[j] ?? 0) + (rand() - 0.5) * 0.6 })).sort((a, b) => b.q - a.q);
        const tiers: number[][] = [];
        for (const x of noisy) {
          const last = tiers[tiers.length - 1];
          if (last && rand() < 0.08) last.push(x.id);
          else tiers.push([x.id]);
        }
        const assignment = Number(insAssignment.run(projectId, promptId, u, order).lastInsertRowid);
        const tiersJson = JSON.stringify(tiers);
        const rankingId = Number(insRanking.run(assignment, projectId, promptId, u, tiersJson, tiersJson).lastInsertRowid);
      }
    }
  });
  for (let from = 0; from < opts.prompts; from += 5000) batch(from, Math.min(opts.prompts, from + 5000));
  return projectId;
}

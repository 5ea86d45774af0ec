import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import { hashPassword, randomPassword } from '../auth/password.ts';
import { createProjectSchema } from '../../shared/projects.ts';
import { parseImport } from '../import/parse-import.ts';
import { repoRoot } from '../paths.ts';

export const demoLabelers = ['ana', 'ben', 'chloe'];

export type FirstStartReport = { adminPassword?: string; demoPassword?: string; demoProjectId?: number };

/** Loads the demo project shipped in data/demo and adds its three labelers plus the admin as members. */
export async function loadDemo(store: Store, adminId: number, labelerPassword: string): Promise<number> {
  const dir = join(repoRoot, 'data', 'demo');
  const settings = createProjectSchema.parse(JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')));
  const project = await store.projects.create(settings, adminId);
  const parsed = parseImport(readFileSync(join(dir, 'prompts.jsonl'), 'utf8'), project.responsesPerPrompt);
  if (parsed.errors.length) throw new Error(`data/demo/prompts.jsonl: ${parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  await store.prompts.importPrompts(project.id, parsed.prompts);
  const hash = await hashPassword(labelerPassword);
  for (const name of demoLabelers) {
    const user = await store.users.create(name, hash, 'labeler') ?? await store.users.byUsername(name);
    if (user) await store.projects.addMember(project.id, user.id, 'labeler');
  }
  return project.id;
}

/** An empty database gets an admin (and the demo unless turned off); later starts change nothing. */
export async function firstStart(store: Store, options: { adminPassword?: string | undefined; demo: boolean }): Promise<FirstStartReport | null> {
  if (await store.users.count() > 0) return null;
  const report: FirstStartReport = {};
  const password = options.adminPassword ?? randomPassword();
  if (!options.adminPassword) report.adminPassword = password;
  const admin = await store.users.create('admin', await hashPassword(password), 'admin');
  // Null: another server sharing the database did the first start meanwhile.
  if (!admin) return null;
  await store.audit.record(admin.id, 'setup.admin');
  if (options.demo) {
    report.demoPassword = randomPassword();
    report.demoProjectId = await loadDemo(store, admin.id, report.demoPassword);
  }
  return report;
}

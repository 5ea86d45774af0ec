import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../../server/paths.ts';
import { seedRankedProject } from '../../bench/support/seed-rankings.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let projectId: number;

function cli(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: repoRoot, env: { ...process.env, ...server.dbEnv } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

const linesOf = (text: string): string[] => text.split('\n').filter(Boolean);
type CardFront = { configs: { config_name: string; data_files: { split: string; path: string }[] }[]; license: string; task_categories: string[]; tags: string[] };

/** The YAML front matter of a dataset card, as the Hub reads it: between the first two `---` lines. */
function frontMatter(card: string): CardFront {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(card);
  expect(match, 'the card starts with YAML front matter').not.toBeNull();
  return parseYaml(match![1]!) as CardFront;
}

beforeAll(async () => {
  server = await startTestServer();
  // 60 prompts, K = 4, 3 labelers: enough that a 0.3 test fraction puts prompts on both sides.
  projectId = await seedRankedProject(server.store.engine, { prompts: 60, k: 4, labelers: 3 });
  await new Promise((r) => setTimeout(r, 200));
});
afterAll(() => server.stop());

describe('export --dataset-dir', () => {
  it('writes train.jsonl and test.jsonl as the split exports write them, and a card whose configs point at them', async () => {
    const dir = join(server.dir, 'dataset');
    const run = await cli(['export', '--project', String(projectId), '--format', 'trl', '--test-fraction', '0.3', '--dataset-dir', dir]);
    expect(run.status, run.stderr).toBe(0);

    const card = readFileSync(join(dir, 'README.md'), 'utf8');
    const front = frontMatter(card);
    expect(front.configs).toEqual([{ config_name: 'default', data_files: [{ split: 'train', path: 'train.jsonl' }, { split: 'test', path: 'test.jsonl' }] }]);
    expect(front.license).toBeTypeOf('string');
    expect(front.tags).toContain('preference');

    const files: Record<string, string[]> = {};
    for (const { split, path } of front.configs[0]!.data_files) {
      expect(existsSync(join(dir, path)), path).toBe(true);
      files[split] = linesOf(readFileSync(join(dir, path), 'utf8'));
      // Byte for byte what the API's export gives for that split.
      const api = await server.admin.get<string>(`/api/projects/${projectId}/export?format=trl&testFraction=0.3&split=${split}`);
      expect(files[split]).toEqual(linesOf(api.body));
      const summary = await server.admin.get(`/api/projects/${projectId}/export/summary?format=trl&testFraction=0.3&split=${split}&preview=0`);
      expect(files[split]!.length).toBe(summary.body.lines);
      expect(card).toContain(`| ${split} | ${path} | ${files[split]!.length} |`);
    }
    expect(files.train!.length).toBeGreaterThan(0);
    expect(files.test!.length).toBeGreaterThan(0);

    const prompts = (lines: string[]) => new Set(lines.map((l) => (JSON.parse(l) as { prompt: string }).prompt));
    const shared = [...prompts(files.train!)].filter((p) => prompts(files.test!).has(p));
    expect(shared).toEqual([]);

    // How it was made: project, K, R, labelers, settings, agreement with its interval.
    expect(card).toContain('# seeded');
    expect(card).toContain('K = 4');
    expect(card).toContain('R = 3');
    expect(card).toContain('3 labelers');
    expect(card).toMatch(/\| test fraction \| 0\.3 \|/);
    expect(card).toMatch(/pairwise agreement .*\| 0\.\d{3} \(95% interval 0\.\d{3}–0\.\d{3}, 200 bootstrap resamples of prompts\)/);
  });

  it('serves the same card to the export page, and refuses --dataset-dir with --out or --split', async () => {
    const res = await server.admin.get<string>(`/api/projects/${projectId}/export/card?format=trl&testFraction=0.3`);
    expect(res.status).toBe(200);
    const front = frontMatter(res.body);
    expect(front.configs[0]!.data_files.map((f) => f.path)).toEqual(['train.jsonl', 'test.jsonl']);
    const train = await server.admin.get<string>(`/api/projects/${projectId}/export?format=trl&testFraction=0.3&split=train`);
    expect(res.body).toContain(`| train | train.jsonl | ${linesOf(train.body).length} |`);

    const refused = await cli(['export', '--project', String(projectId), '--split', 'train', '--dataset-dir', join(server.dir, 'x')]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--dataset-dir/);
  });
});

import { expect } from 'vitest';
import { ApiClient, jsonl } from './test-server.ts';

// Prompts whose responses state their quality, so a scripted labeler (here) or judge (fake-judges.ts) knows the order.

/** The "quality N" a response states. */
export const qualityOf = (text: string): number => Number(/quality (\d+)/.exec(text)?.[1]);

/** `count` prompts q0, q1, … of four responses; response j of prompt i has quality (i + j) % 4 and model sft-qQUALITY. */
export function qualityPromptLines(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `q${i}`,
    prompt: `Question ${i}?`,
    responses: [0, 1, 2, 3].map((j) => ({ text: `Reply ${j} to question ${i}, of quality ${(i + j) % 4}.`, model: `sft-q${(i + j) % 4}` })),
  }));
}

/**
 * Imports the prompts into a new project of K = 4 whose sampling endpoint (which judges use by default) is `judgeUrl`,
 * and returns the project's id.
 */
export async function createQualityProject(admin: ApiClient, project: { name: string; labelersPerPrompt: number; guidelines?: string }, prompts: number, judgeUrl: string): Promise<number> {
  const created = await admin.post('/api/projects', { ...project, responsesPerPrompt: 4 });
  const projectId = created.body.project.id as number;
  expect((await admin.post(`/api/projects/${projectId}/import`, jsonl(qualityPromptLines(prompts)))).status).toBe(200);
  expect((await admin.put(`/api/projects/${projectId}/sampling`, { endpoint: { baseUrl: judgeUrl }, policies: [{ model: 'sft', count: 4 }] })).status).toBe(200);
  return projectId;
}

type Task = { id: number; responses: { id: number; text: string }[] };

/** A new labeler of the project who ranks every task it gets by stated quality: best first, or (`worstFirst`) the reverse. */
export async function labelerRankingByQuality(admin: ApiClient, baseUrl: string, projectId: number, username: string, order: 'bestFirst' | 'worstFirst'): Promise<void> {
  const password = `${username}-password-1`;
  const user = await admin.post('/api/users', { username, password, role: 'labeler' });
  expect((await admin.post(`/api/projects/${projectId}/members`, { userId: user.body.user.id })).status).toBe(201);
  const client = new ApiClient(baseUrl);
  await client.login(username, password);
  const sign = order === 'bestFirst' ? -1 : 1;
  for (;;) {
    const next = await client.post(`/api/projects/${projectId}/tasks/next`);
    if (next.status === 204) return;
    const task = next.body.assignment as Task;
    const ranking = [...task.responses].sort((a, b) => sign * (qualityOf(a.text) - qualityOf(b.text))).map((r) => [r.id]);
    expect((await client.post(`/api/assignments/${task.id}/submit`, { ranking })).status).toBe(201);
  }
}

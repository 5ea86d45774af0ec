import { Agent, request } from 'node:http';
import { chatCompletionsUrl } from '../../server/sampling/openai-client.ts';

export type BareRun = { seconds: number; cpuMsPerRequest: number };

/** One POST on a keep-alive socket, the body read whole and parsed, as any client must. */
function post(url: URL, agent: Agent, payload: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if ((res.statusCode ?? 0) >= 300) reject(new Error(`bare client got ${res.statusCode}`));
        else resolve();
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * The same-run baseline of the sampling bench: `requests` chat completions fired at the same server with the same
 * concurrency by the least a client can be (a pool of `concurrency` loops on keep-alive sockets, no job, no
 * database), so what the machine and the fake server cost is measured beside what the job costs.
 */
export async function bareChatRequests(baseUrl: string, requests: number, concurrency: number, body: (i: number) => unknown): Promise<BareRun> {
  const url = chatCompletionsUrl(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < requests; i = next++) await post(url, agent, JSON.stringify(body(i)));
    }));
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuMsPerRequest: (used.user + used.system) / 1000 / requests };
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openStore, type Store } from '../server/store/store.ts';
import { leaseOwner } from '../server/sampling/job-lease.ts';
import { runGenerationJob } from '../server/sampling/job-runner.ts';
import { samplingSettingsInputSchema } from '../shared/sampling.ts';
import { startFakeOpenAi } from '../test/support/fake-openai-server.ts';
import { bareChatRequests } from './support/bare-chat-client.ts';

const prompts = 2_000;
const k = 4;
const concurrency = 64;
const latencyMs = 50;

type FakeProcess = { baseUrl: string; served: () => Promise<number>; close: () => Promise<void> };

/**
 * The model server runs in its own process, as vLLM would: sharing this process's event loop would bill the
 * server's JSON work to the runner. It answers `served` on stdin with how many requests it got.
 */
async function startFakeProcess(nMode: 'honour' | 'ignore'): Promise<FakeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', nMode], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const baseUrl = await next();
  return {
    baseUrl,
    served: async () => {
      const answer = next();
      child.stdin.write('served\n');
      return Number(await answer);
    },
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      await exited;
    },
  };
}

/** A request as the job sends it, for the bare client. */
const chatBody = (mode: 'n' | 'single') => (i: number) => ({ model: 'bare', messages: [{ role: 'user', content: `Prompt ${i}: explain something in a paragraph.` }], ...(mode === 'n' ? { n: k } : {}), temperature: 1 });

type JobRun = { seconds: number; cpuMs: number; requests: number; loopDelayMaxMs: number; loopDelayP99Ms: number };

/** One project of `prompts` prompts sampled by a job from nothing to K each; `model` is its own, so no run learns n from another. */
async function sampleProject(store: Store, fake: FakeProcess, name: string, model: string, profileTo?: string): Promise<JobRun> {
  const project = await store.projects.create({ name, guidelines: '', responsesPerPrompt: k, labelersPerPrompt: 3, allowTies: true, leaseMinutes: 30 }, null);
  await store.prompts.importPrompts(
    project.id,
    Array.from({ length: prompts }, (_, i) => ({ line: i + 1, externalId: `b${i}`, messages: [{ role: 'user' as const, content: `Prompt ${i}: explain something in a paragraph.` }], metadata: {}, responses: [] })),
  );
  await store.sampling.saveSettings(project.id, samplingSettingsInputSchema.parse({ endpoint: { baseUrl: fake.baseUrl }, policies: [{ model, count: k, temperature: 1 }] }), { mayNameKeyEnv: true });

  const servedBefore = await fake.served();
  const profiler = profileTo ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  // how long an answer can wait behind the loop: a write transaction or a burst of answers holds it
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { job } = await store.sampling.createJob(project.id, k, concurrency, null, { owner: leaseOwner, at: Date.now() });
  const status = await (await runGenerationJob(store, job.id)).finished;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  loopDelay.disable();
  if (profiler && profileTo) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(join(profileTo, `sampling-${name.replace(/\W+/g, '-')}.cpuprofile`), JSON.stringify(profile));
    profiler.disconnect();
  }

  const final = await store.sampling.job(job.id);
  const stored = (await store.engine.get<{ n: number }>('SELECT count(*) AS n FROM responses r JOIN prompts p ON p.id = r.prompt_id WHERE p.project_id = ?', project.id))?.n ?? 0;
  if (status !== 'done' || stored !== prompts * k || final?.done !== prompts * k) throw new Error(`bench job ended ${status} with ${stored} responses: ${JSON.stringify(final)}`);
  return {
    seconds,
    cpuMs: (used.user + used.system) / 1000,
    requests: (await fake.served()) - servedBefore,
    // the histogram is in ns and counts the 1 ms resolution itself
    loopDelayMaxMs: loopDelay.max / 1e6,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  };
}

/**
 * 2,000 prompts × K = 4 sampled through the real job runner (SQLite writes included) from a local
 * OpenAI-compatible server answering every request after a fixed 50 ms, at concurrency 64.
 * mode 'n': the server honours n, so one request per prompt (vLLM, SGLang); 'single': it ignores n
 * and the runner falls back to one request per sample (Ollama, TGI).
 *
 * `seconds` runs from creating the job to its end (reading prompts, every write and the final status included), for
 * the first job of the process: its code runs cold, as a server's first job does. `idealSeconds` is the least any
 * client can take: the requests in waves of `concurrency`, each the server's latency, nothing for the round trip.
 * `warmSeconds` is a second job of the same size in the same process, once V8 has compiled the job's code.
 * The baseline, in the same run against the same server, is as many requests from a bare client (no job, no
 * database) at the same concurrency, after as many warm-up requests: `baselineRatio` is the job's cost beyond what
 * this machine and the fake server take anyway. CPU figures are the whole bench process's (V8's compiler threads
 * included), per request; the fake server runs in its own process and is not counted.
 */
export async function runSamplingBench(mode: 'n' | 'single' = (process.env.BENCH_SAMPLING_MODE as 'n' | 'single' | undefined) ?? 'n') {
  const dir = mkdtempSync(join(tmpdir(), 'podium-bench-sampling-'));
  const fake = await startFakeProcess(mode === 'n' ? 'honour' : 'ignore');
  try {
    const store = await openStore({ dbFile: join(dir, 'podium.db') });
    // warms the fake server up, so the first measured run does not pay for its first requests
    await bareChatRequests(fake.baseUrl, 4 * concurrency, concurrency, chatBody(mode));
    // BENCH_PROFILE=/dir writes a CPU profile of each job (the cold one's includes V8 warming up the job's code)
    const cold = await sampleProject(store, fake, 'bench', `bench-${mode}`, process.env.BENCH_PROFILE);
    const warm = await sampleProject(store, fake, 'bench warm', `bench-${mode}-warm`, process.env.BENCH_PROFILE);
    await store.close();
    const bare = await bareChatRequests(fake.baseUrl, cold.requests, concurrency, chatBody(mode));
    const idealSeconds = Math.ceil(cold.requests / concurrency) * (latencyMs / 1000);
    const round = (x: number) => Number(x.toFixed(3));
    return {
      bench: 'sampling',
      mode: mode === 'n' ? 'n honoured' : 'n ignored, single requests',
      prompts,
      k,
      concurrency,
      latencyMs,
      requests: cold.requests,
      seconds: round(cold.seconds),
      idealSeconds,
      ratio: round(cold.seconds / idealSeconds),
      warmSeconds: round(warm.seconds),
      warmRatio: round(warm.seconds / idealSeconds),
      baselineSeconds: round(bare.seconds),
      baselineRatio: round(cold.seconds / bare.seconds),
      warmBaselineRatio: round(warm.seconds / bare.seconds),
      baselineIdealRatio: round(bare.seconds / idealSeconds),
      cpuMsPerRequest: round(cold.cpuMs / cold.requests),
      warmCpuMsPerRequest: round(warm.cpuMs / warm.requests),
      baselineCpuMsPerRequest: round(bare.cpuMsPerRequest),
      warmLoopDelayMaxMs: round(warm.loopDelayMaxMs),
      warmLoopDelayP99Ms: round(warm.loopDelayP99Ms),
    };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--serve') {
    const fake = await startFakeOpenAi({ latencyMs, nMode: process.argv[3] === 'ignore' ? 'ignore' : 'honour' }, { record: false });
    console.log(fake.baseUrl);
    const input = createInterface({ input: process.stdin });
    input.on('line', (line) => {
      if (line === 'served') console.log(fake.served());
    });
    input.on('close', () => void fake.close().then(() => process.exit(0)));
  } else console.log(JSON.stringify(await runSamplingBench()));
}

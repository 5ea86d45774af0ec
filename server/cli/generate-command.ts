import { withProject } from './open-store.ts';
import { commandHelp, defineCommand, parseCommand, usageError } from './args.ts';
import { defaultConcurrency, runGenerationJob } from '../sampling/job-runner.ts';
import { cancelGenerationJob, leaseHeldElsewhere } from '../sampling/job-takeover.ts';
import { leaseOwner } from '../sampling/job-lease.ts';
import { subscribeJob } from '../sampling/job-events.ts';
import { policyLabel, type GenerationJob } from '../../shared/sampling.ts';
import { isFinished, progressRate } from '../../shared/job-progress.ts';

export const generateCommand = defineCommand({
  name: 'generate',
  summary: "Sample every missing response with the project's sampling settings, with a progress bar; Ctrl-C cancels.",
  usage: ['--project ID [--concurrency N]'],
  options: {
    project: { type: 'string', value: 'ID', description: 'the project to sample for' },
    concurrency: { type: 'string', value: 'N', description: `requests in flight, 1–512 (default ${defaultConcurrency})` },
  },
});

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** One line of terminal progress: bar, counts, rate and time left. */
export function progressLine(job: GenerationJob, rate: { perSecond: number | null; etaSeconds: number | null }, width = 30): string {
  const settled = job.done + job.failed;
  const share = job.total > 0 ? Math.min(1, settled / job.total) : 1;
  const filled = Math.round(share * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const parts = [`${bar} ${settled}/${job.total} samples`, `${Math.round(share * 100)}%`];
  if (rate.perSecond !== null) parts.push(`${rate.perSecond.toFixed(1)}/s`);
  if (rate.etaSeconds !== null && !isFinished(job.status)) parts.push(`ETA ${clock(rate.etaSeconds)}`);
  if (job.failed) parts.push(`${job.failed} failed`);
  if (job.duplicates) parts.push(`${job.duplicates} duplicates`);
  if (job.lengthFinishes) parts.push(`${job.lengthFinishes} cut at max_tokens`);
  return parts.join('  ');
}

/**
 * `podium generate --project ID [--concurrency N]`: samples every missing response of the project with the
 * same job machinery as the API (the job is a row the server also shows). A job a living process already runs
 * is followed, one whose process died is taken over. Ctrl-C cancels; running it again samples what is still missing.
 */
export async function runGenerateCommand(argv: string[]): Promise<number> {
  const args = parseCommand(generateCommand, argv);
  if (args === 'help') {
    console.log(commandHelp(generateCommand));
    return 0;
  }
  const projectId = Number(args.values.project);
  const concurrencyText = args.values.concurrency;
  const concurrency = concurrencyText === undefined ? defaultConcurrency : Number(concurrencyText);
  if (!Number.isInteger(projectId) || projectId <= 0) throw usageError(generateCommand, '--project ID is required');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 512) throw usageError(generateCommand, '--concurrency is a whole number from 1 to 512');

  const err = process.stderr;
  return withProject(
    projectId,
    async (store, project) => {
    const settings = await store.sampling.settings(project.id);
    if (!settings) {
      err.write(`project ${projectId} has no sampling settings: set them on the project page (or PUT /api/projects/${projectId}/sampling)\n`);
      return 1;
    }
    const sum = settings.policies.reduce((a, p) => a + p.count, 0);
    if (sum !== project.responsesPerPrompt) {
      err.write(`the policies' counts add up to ${sum}, not K = ${project.responsesPerPrompt}\n`);
      return 1;
    }

    let job = await store.sampling.activeJob(project.id);
    const follow = job !== null && (await leaseHeldElsewhere(store, job.id));
    if (!job) job = (await store.sampling.createJob(project.id, project.responsesPerPrompt, concurrency, null, { owner: leaseOwner, at: Date.now() })).job;
    const jobId = job.id;
    err.write(
      follow
        ? `job ${jobId} is running in another process (${(await store.sampling.lease(jobId))?.owner ?? 'unknown'}); following it\n`
        : `job ${jobId}: ${job.total} samples for "${project.name}" from ${settings.baseUrl} (${settings.policies.map((p) => `${p.count}× ${policyLabel(p)}`).join(', ')}), concurrency ${job.concurrency}\n`,
    );

    const tty = Boolean(err.isTTY);
    const first = { at: Date.now(), done: job.done + job.failed };
    let lastDraw = 0;
    const draw = (j: GenerationJob, force = false) => {
      const now = Date.now();
      if (!force && now - lastDraw < (tty ? 100 : 5_000)) return;
      lastDraw = now;
      const line = progressLine(j, progressRate(first, { at: now, done: j.done + j.failed }, j.total - j.done - j.failed));
      err.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    };

    let final: GenerationJob | null;
    const onInterrupt = () => {
      err.write(`\ncancelling job ${jobId}…\n`);
      void cancelGenerationJob(store, jobId);
    };
    process.once('SIGINT', onInterrupt);
    try {
      if (follow) {
        for (;;) {
          const j = await store.sampling.job(jobId);
          if (!j) break;
          draw(j);
          if (isFinished(j.status)) break;
          if (!(await leaseHeldElsewhere(store, jobId))) {
            // that process stopped renewing its lease: carry the job on here
            err.write(`\njob ${jobId}'s process stopped; taking it over\n`);
            await (await runGenerationJob(store, jobId, { log: (l) => err.write(`${l}\n`) })).finished;
            break;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      } else {
        const unsubscribe = subscribeJob(store.engine, jobId, (j) => draw(j));
        try {
          await (await runGenerationJob(store, jobId, { log: (l) => err.write(`${l}\n`) })).finished;
        } finally {
          unsubscribe();
        }
      }
    } finally {
      process.removeListener('SIGINT', onInterrupt);
    }
    final = await store.sampling.job(jobId);
    if (!final) return 1;
    draw(final, true);
    if (tty) err.write('\n');
    for (const e of final.errors) err.write(`  ${e.count}× ${e.message}${e.externalId ? ` (last: prompt ${e.externalId})` : ''}\n`);
    process.stdout.write(`${JSON.stringify({ job: final })}\n`);
    return final.status === 'done' && final.failed === 0 ? 0 : 1;
    },
    (line) => err.write(`${line}\n`),
  );
}

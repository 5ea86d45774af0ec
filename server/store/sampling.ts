import { all, get, run, type Engine, type Sql } from './engine/sql.ts';
import { addResponses, type NewResponse } from './prompts.ts';
import type { GenerationJob, JobError, SamplingPolicy, SamplingSettingsParsed } from '../../shared/sampling.ts';
import type { JobStatus } from '../../shared/job-progress.ts';

/** The settings as the server uses them, key included; routes turn this into the key-less view. */
export type SamplingSettings = {
  projectId: number;
  baseUrl: string;
  apiKey: string | null;
  apiKeyEnv: string | null;
  systemPrompt: string;
  policies: SamplingPolicy[];
  requestTimeoutMs: number;
  maxRetries: number;
  updatedAt: string;
};

type SettingsRow = {
  project_id: number;
  base_url: string;
  api_key: string | null;
  api_key_env: string | null;
  system_prompt: string;
  policies: string;
  request_timeout_ms: number;
  max_retries: number;
  updated_at: string;
};

type JobRow = {
  id: number;
  project_id: number;
  status: JobStatus;
  concurrency: number;
  total: number;
  done: number;
  failed: number;
  duplicates: number;
  length_finishes: number;
  errors: string;
  runner: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

const toJob = (r: JobRow): GenerationJob => ({
  id: r.id,
  projectId: r.project_id,
  status: r.status,
  concurrency: r.concurrency,
  total: r.total,
  done: r.done,
  failed: r.failed,
  duplicates: r.duplicates,
  lengthFinishes: r.length_finishes,
  errors: JSON.parse(r.errors) as JobError[],
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export type PendingPrompt = { promptId: number; externalId: string; messages: string; responseCount: number };
export type StoredResponse = { text: string; policy: string | null; params: string | null };

/** What a runner learned about one prompt: the samples to store, and whether the prompt got all it needed. */
export type PromptOutcome = { promptId: number; needed: number; responses: NewResponse[]; error: string | null };

const now = () => new Date().toISOString();

const activeJob = (projectId: number): Sql<JobRow | undefined> => get<JobRow>("SELECT * FROM generation_jobs WHERE project_id = ? AND status IN ('queued', 'running')", projectId);
const jobById = (id: number): Sql<JobRow | undefined> => get<JobRow>('SELECT * FROM generation_jobs WHERE id = ?', id);

export function samplingStore(engine: Engine) {
  return {
    async settings(projectId: number): Promise<SamplingSettings | null> {
      const r = await engine.read(get<SettingsRow>('SELECT * FROM sampling_settings WHERE project_id = ?', projectId));
      if (!r) return null;
      return {
        projectId: r.project_id,
        baseUrl: r.base_url,
        apiKey: r.api_key,
        apiKeyEnv: r.api_key_env,
        systemPrompt: r.system_prompt,
        policies: JSON.parse(r.policies) as SamplingPolicy[],
        requestTimeoutMs: r.request_timeout_ms,
        maxRetries: r.max_retries,
        updatedAt: r.updated_at,
      };
    },
    /** An absent apiKey keeps the stored one, null removes it. */
    saveSettings(projectId: number, s: SamplingSettingsParsed): Promise<void> {
      return engine.transaction(function* () {
        const before = yield* get<SettingsRow>('SELECT * FROM sampling_settings WHERE project_id = ? FOR UPDATE', projectId);
        const apiKey = s.endpoint.apiKey === undefined ? (before?.api_key ?? null) : s.endpoint.apiKey;
        const apiKeyEnv = s.endpoint.apiKeyEnv === undefined ? (before?.api_key_env ?? null) : s.endpoint.apiKeyEnv;
        yield* run(
          `INSERT INTO sampling_settings (project_id, base_url, api_key, api_key_env, system_prompt, policies, request_timeout_ms, max_retries, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (project_id) DO UPDATE SET base_url = excluded.base_url, api_key = excluded.api_key, api_key_env = excluded.api_key_env,
             system_prompt = excluded.system_prompt, policies = excluded.policies, request_timeout_ms = excluded.request_timeout_ms,
             max_retries = excluded.max_retries, updated_at = excluded.updated_at`,
          projectId, s.endpoint.baseUrl, apiKey, apiKeyEnv, s.systemPrompt, JSON.stringify(s.policies), s.requestTimeoutMs, s.maxRetries, now(),
        );
      });
    },
    /** A queued job over every prompt short of K, or the job already active for the project. */
    createJob(projectId: number, k: number, concurrency: number, userId: number | null): Promise<{ job: GenerationJob; created: boolean }> {
      return engine.transaction(function* () {
        const active = yield* activeJob(projectId);
        if (active) return { job: toJob(active), created: false };
        const row = yield* get<JobRow>("INSERT INTO generation_jobs (project_id, status, concurrency, created_by) VALUES (?, 'queued', ?, ?) RETURNING *", projectId, concurrency, userId);
        if (!row) throw new Error('job insert returned nothing');
        yield* run('INSERT INTO generation_tasks (job_id, prompt_id) SELECT ?, id FROM prompts WHERE project_id = ? AND excluded = 0 AND response_count < ?', row.id, projectId, k);
        const total = (yield* get<{ total: number }>('SELECT coalesce(sum(? - response_count), 0) AS total FROM prompts WHERE project_id = ? AND excluded = 0 AND response_count < ?', k, projectId, k))?.total ?? 0;
        yield* run('UPDATE generation_jobs SET total = ? WHERE id = ?', total, row.id);
        return { job: { ...toJob(row), total }, created: true };
      });
    },
    async job(id: number): Promise<GenerationJob | null> {
      const r = await engine.read(jobById(id));
      return r ? toJob(r) : null;
    },
    async jobRunner(id: number): Promise<string | null> {
      return (await engine.read(jobById(id)))?.runner ?? null;
    },
    async activeJob(projectId: number): Promise<GenerationJob | null> {
      const r = await engine.read(activeJob(projectId));
      return r ? toJob(r) : null;
    },
    async latestJob(projectId: number): Promise<GenerationJob | null> {
      const r = await engine.read(get<JobRow>('SELECT * FROM generation_jobs WHERE project_id = ? ORDER BY id DESC LIMIT 1', projectId));
      return r ? toJob(r) : null;
    },
    /** Marks the job running under `runner`; false when it has finished or was cancelled meanwhile. */
    async claimJob(id: number, runner: string): Promise<boolean> {
      return (await engine.read(run("UPDATE generation_jobs SET status = 'running', runner = ?, started_at = coalesce(started_at, ?) WHERE id = ? AND status IN ('queued', 'running')", runner, now(), id))) === 1;
    },
    resumableJobs(): Promise<{ id: number; runner: string | null }[]> {
      return engine.read(all<{ id: number; runner: string | null }>("SELECT id, runner FROM generation_jobs WHERE status IN ('queued', 'running') ORDER BY id"));
    },
    pendingPrompts(jobId: number, afterPromptId: number, limit: number): Promise<PendingPrompt[]> {
      return engine.read(
        all<PendingPrompt>(
          `SELECT p.id AS "promptId", p.external_id AS "externalId", p.messages, p.response_count AS "responseCount"
           FROM generation_tasks t JOIN prompts p ON p.id = t.prompt_id
           WHERE t.job_id = ? AND t.state = 'pending' AND t.prompt_id > ? ORDER BY t.prompt_id LIMIT ?`,
          jobId, afterPromptId, limit,
        ),
      );
    },
    storedResponses(promptId: number): Promise<StoredResponse[]> {
      return engine.read(all<StoredResponse>('SELECT text, policy, params FROM responses WHERE prompt_id = ? ORDER BY id', promptId));
    },
    /**
     * Stores finished prompts and the job's counters in one transaction (the runner batches them), never
     * past K: a prompt filled meanwhile keeps what it has.
     */
    recordOutcomes(jobId: number, outcomes: PromptOutcome[], errors: JobError[]): Promise<void> {
      return engine.transaction(function* () {
        let done = 0;
        let failed = 0;
        let duplicates = 0;
        let lengths = 0;
        for (const o of outcomes) {
          // Locked, so a second writer on another server waits and then sees the count this one left.
          const at = yield* get<{ response_count: number; k: number }>(
            'SELECT p.response_count, pr.responses_per_prompt AS k FROM prompts p JOIN projects pr ON pr.id = p.project_id WHERE p.id = ? FOR UPDATE OF p',
            o.promptId,
          );
          if (!at) continue; // the prompt was deleted while we sampled it
          const room = Math.max(0, at.k - at.response_count);
          const keep = o.responses.slice(0, room);
          if (keep.length) yield* addResponses(o.promptId, keep);
          // samples dropped because the prompt filled up meanwhile are not missing any more either
          const filled = Math.min(o.needed, o.responses.length);
          done += filled;
          failed += o.needed - filled;
          for (const r of keep) {
            if (r.duplicate) duplicates++;
            if (r.finishReason === 'length') lengths++;
          }
          yield* run('UPDATE generation_tasks SET state = ?, error = ? WHERE job_id = ? AND prompt_id = ?', o.error ? 'failed' : 'done', o.error, jobId, o.promptId);
        }
        yield* run(
          'UPDATE generation_jobs SET done = done + ?, failed = failed + ?, duplicates = duplicates + ?, length_finishes = length_finishes + ?, errors = ? WHERE id = ?',
          done, failed, duplicates, lengths, JSON.stringify(errors), jobId,
        );
      });
    },
    async jobStatus(id: number): Promise<JobStatus | null> {
      return (await engine.read(get<{ status: JobStatus }>('SELECT status FROM generation_jobs WHERE id = ?', id)))?.status ?? null;
    },
    async finishJob(id: number, status: 'done' | 'failed' | 'cancelled'): Promise<boolean> {
      return (await engine.read(run("UPDATE generation_jobs SET status = ?, finished_at = ?, runner = NULL WHERE id = ? AND status IN ('queued', 'running')", status, now(), id))) === 1;
    },
    async failJob(id: number, errors: JobError[]): Promise<void> {
      await engine.read(run("UPDATE generation_jobs SET status = 'failed', errors = ?, finished_at = ?, runner = NULL WHERE id = ? AND status IN ('queued', 'running')", JSON.stringify(errors), now(), id));
    },
    /** Lets a later start-up resume the job: its runner stopped without finishing it. */
    async releaseJob(id: number, runner: string): Promise<void> {
      await engine.read(run('UPDATE generation_jobs SET runner = NULL WHERE id = ? AND runner = ?', id, runner));
    },
  };
}

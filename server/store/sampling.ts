import { all, get, run, type Engine, type Sql } from './engine/sql.ts';
import { addResponses, type NewResponse } from './prompts.ts';
import type { GenerationJob, JobError, JobKind, SamplingPolicy, SamplingSettingsParsed } from '../../shared/sampling.ts';
import type { JobStatus } from '../../shared/job-progress.ts';
import { keysAfterEdit, type KeyDecision } from '../sampling/endpoint-key.ts';
import { enqueueJobFinished } from '../webhooks/outbox.ts';

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

export type JobRow = {
  id: number;
  project_id: number;
  kind: JobKind;
  judge_id: number | null;
  status: JobStatus;
  concurrency: number;
  total: number;
  done: number;
  failed: number;
  duplicates: number;
  length_finishes: number;
  errors: string;
  owner: string | null;
  heartbeat_at: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

export const toJob = (r: JobRow): GenerationJob => ({
  id: r.id,
  projectId: r.project_id,
  kind: r.kind,
  judgeId: r.judge_id,
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

/** Who holds a job's lease, and when they last renewed it (ms since the epoch). */
export type JobLease = { owner: string | null; heartbeatAt: number };

/** What a runner learned about one prompt: the samples to store, and whether the prompt got all it needed. */
export type PromptOutcome = { promptId: number; needed: number; responses: NewResponse[]; error: string | null };

const now = () => new Date().toISOString();

// Sampling's own job: judge runs share the table (and the lease code below) but not the one-active-job rule.
const activeJob = (projectId: number): Sql<JobRow | undefined> => get<JobRow>("SELECT * FROM generation_jobs WHERE project_id = ? AND kind = 'generation' AND status IN ('queued', 'running')", projectId);
const jobById = (id: number): Sql<JobRow | undefined> => get<JobRow>('SELECT * FROM generation_jobs WHERE id = ?', id);

/** One conditional UPDATE that ends a job; when it did, the job.finished webhook event commits with it. */
function* endJob(sql: string, ...params: (string | number)[]): Sql<boolean> {
  const ended = yield* get<JobRow>(sql, ...params);
  if (ended) yield* enqueueJobFinished(toJob(ended), Date.now());
  return ended !== undefined;
}

/**
 * The first statement of every write a job's runner makes: only the lease holder writes, and in Postgres it takes the
 * job's row lock. No status condition: a cancelled job keeps its owner until the runner has written its last whole
 * prompts and let go. False when `owner` no longer holds the lease.
 */
export function* leaseFence(jobId: number, owner: string, at: number): Sql<boolean> {
  return (yield* run('UPDATE generation_jobs SET heartbeat_at = ? WHERE id = ? AND owner = ?', at, jobId, owner)) === 1;
}

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
    /**
     * Stores the settings with the keys `keysAfterEdit` allows: decided inside the transaction, against the row as
     * it is now (locked on Postgres), so a concurrent URL change can never leave a key paired with a URL it was not stored for.
     */
    saveSettings(projectId: number, s: SamplingSettingsParsed, who: { mayNameKeyEnv: boolean }): Promise<KeyDecision> {
      return engine.transaction(function* (): Sql<KeyDecision> {
        const before = yield* get<SettingsRow>('SELECT * FROM sampling_settings WHERE project_id = ? FOR UPDATE', projectId);
        const decision = keysAfterEdit(before ? { baseUrl: before.base_url, apiKey: before.api_key, apiKeyEnv: before.api_key_env } : null, s.endpoint, who.mayNameKeyEnv);
        if (!decision.ok) return decision;
        const { apiKey, apiKeyEnv } = decision.keys;
        yield* run(
          `INSERT INTO sampling_settings (project_id, base_url, api_key, api_key_env, system_prompt, policies, request_timeout_ms, max_retries, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (project_id) DO UPDATE SET base_url = excluded.base_url, api_key = excluded.api_key, api_key_env = excluded.api_key_env,
             system_prompt = excluded.system_prompt, policies = excluded.policies, request_timeout_ms = excluded.request_timeout_ms,
             max_retries = excluded.max_retries, updated_at = excluded.updated_at`,
          projectId, s.endpoint.baseUrl, apiKey, apiKeyEnv, s.systemPrompt, JSON.stringify(s.policies), s.requestTimeoutMs, s.maxRetries, now(),
        );
        return decision;
      });
    },
    /** A queued job over every prompt short of K, or the job already active for the project. */
    createJob(projectId: number, k: number, concurrency: number, userId: number | null, lease: { owner: string; at: number }): Promise<{ job: GenerationJob; created: boolean }> {
      return engine.transaction(function* () {
        const active = yield* activeJob(projectId);
        if (active) return { job: toJob(active), created: false };
        // The creator holds the lease from the first moment, so no other process's takeover scan grabs a job it just made.
        const row = yield* get<JobRow>(
          "INSERT INTO generation_jobs (project_id, status, concurrency, created_by, owner, heartbeat_at) VALUES (?, 'queued', ?, ?, ?, ?) RETURNING *",
          projectId, concurrency, userId, lease.owner, lease.at,
        );
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
    async lease(id: number): Promise<JobLease | null> {
      const r = await engine.read(get<{ owner: string | null; heartbeat_at: number }>('SELECT owner, heartbeat_at FROM generation_jobs WHERE id = ?', id));
      return r ? { owner: r.owner, heartbeatAt: r.heartbeat_at } : null;
    },
    async activeJob(projectId: number): Promise<GenerationJob | null> {
      const r = await engine.read(activeJob(projectId));
      return r ? toJob(r) : null;
    },
    async latestJob(projectId: number): Promise<GenerationJob | null> {
      const r = await engine.read(get<JobRow>("SELECT * FROM generation_jobs WHERE project_id = ? AND kind = 'generation' ORDER BY id DESC LIMIT 1", projectId));
      return r ? toJob(r) : null;
    },
    // Leases: plain conditional UPDATEs whose changes count says who won, so two processes (or two engines) agree
    // without locks. Times are the caller's clock in ms; the lease is many seconds, far above any clock skew we accept.
    /**
     * Takes the job's lease for `owner` and marks it running: true when nobody holds it, `owner` already does, or
     * the holder's heartbeat is older than `staleBefore`; false when another holder is alive or the job has ended.
     */
    async claimJob(id: number, owner: string, at: number, staleBefore: number): Promise<boolean> {
      const changed = await engine.read(
        run(
          `UPDATE generation_jobs SET status = 'running', owner = ?, heartbeat_at = ?, started_at = coalesce(started_at, ?)
           WHERE id = ? AND status IN ('queued', 'running') AND (owner IS NULL OR owner = ? OR heartbeat_at < ?)`,
          owner, at, new Date(at).toISOString(), id, owner, staleBefore,
        ),
      );
      return changed === 1;
    },
    /** Renews the lease; false when `owner` no longer holds it (taken over) or the job has ended. */
    async renewLease(id: number, owner: string, at: number): Promise<boolean> {
      return (await engine.read(run("UPDATE generation_jobs SET heartbeat_at = ? WHERE id = ? AND owner = ? AND status IN ('queued', 'running')", at, id, owner))) === 1;
    },
    /** Unfinished jobs nobody holds a live lease on: free to take over. */
    async staleJobs(staleBefore: number): Promise<number[]> {
      const rows = await engine.read(all<{ id: number }>("SELECT id FROM generation_jobs WHERE status IN ('queued', 'running') AND (owner IS NULL OR heartbeat_at < ?) ORDER BY id", staleBefore));
      return rows.map((r) => r.id);
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
    /** False, writing nothing, when `owner` has lost the job's lease. */
    recordOutcomes(jobId: number, owner: string, at: number, outcomes: PromptOutcome[], errors: JobError[]): Promise<boolean> {
      return engine.transaction(function* () {
        if (!(yield* leaseFence(jobId, owner, at))) return false;
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
        return true;
      });
    },
    async jobStatus(id: number): Promise<JobStatus | null> {
      return (await engine.read(get<{ status: JobStatus }>('SELECT status FROM generation_jobs WHERE id = ?', id)))?.status ?? null;
    },
    /** Ends the job as its lease holder; false when `owner` lost the lease or the job ended meanwhile (a cancel). */
    finishJob(id: number, owner: string, status: 'done' | 'failed'): Promise<boolean> {
      return engine.transaction(() =>
        endJob("UPDATE generation_jobs SET status = ?, finished_at = ?, owner = NULL WHERE id = ? AND owner = ? AND status IN ('queued', 'running') RETURNING *", status, now(), id, owner),
      );
    },
    failJob(id: number, owner: string, errors: JobError[]): Promise<boolean> {
      return engine.transaction(() =>
        endJob(
          "UPDATE generation_jobs SET status = 'failed', errors = ?, finished_at = ?, owner = NULL WHERE id = ? AND owner = ? AND status IN ('queued', 'running') RETURNING *",
          JSON.stringify(errors), now(), id, owner,
        ),
      );
    },
    /** Anyone with the right may cancel, lease or not; the holder sees it at its next flush and stops. */
    cancelJob(id: number): Promise<boolean> {
      return engine.transaction(() => endJob("UPDATE generation_jobs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status IN ('queued', 'running') RETURNING *", now(), id));
    },
    /** Lets any process take the job over at once: its owner stopped without finishing it. */
    async releaseJob(id: number, owner: string): Promise<void> {
      await engine.read(run('UPDATE generation_jobs SET owner = NULL, heartbeat_at = 0 WHERE id = ? AND owner = ?', id, owner));
    },
  };
}

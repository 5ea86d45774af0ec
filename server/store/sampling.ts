import type { Db } from './db.ts';
import { promptsStore, type NewResponse } from './prompts.ts';
import type { GenerationJob, JobError, SamplingPolicy, SamplingSettingsParsed } from '../../shared/sampling.ts';
import type { JobStatus } from '../../shared/job-progress.ts';
import { keysAfterEdit, type KeyDecision } from '../sampling/endpoint-key.ts';

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
  owner: string | null;
  heartbeat_at: number;
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

/** Who holds a job's lease, and when they last renewed it (ms since the epoch). */
export type JobLease = { owner: string | null; heartbeatAt: number };

/** What a runner learned about one prompt: the samples to store, and whether the prompt got all it needed. */
export type PromptOutcome = { promptId: number; needed: number; responses: NewResponse[]; error: string | null };

const now = () => new Date().toISOString();

export function samplingStore(db: Db) {
  const prompts = promptsStore(db);
  const getSettings = db.prepare<[number], SettingsRow>('SELECT * FROM sampling_settings WHERE project_id = ?');
  const upsertSettings = db.prepare<[number, string, string | null, string | null, string, string, number, number, string]>(
    `INSERT INTO sampling_settings (project_id, base_url, api_key, api_key_env, system_prompt, policies, request_timeout_ms, max_retries, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id) DO UPDATE SET base_url = excluded.base_url, api_key = excluded.api_key, api_key_env = excluded.api_key_env,
       system_prompt = excluded.system_prompt, policies = excluded.policies, request_timeout_ms = excluded.request_timeout_ms,
       max_retries = excluded.max_retries, updated_at = excluded.updated_at`,
  );
  const activeJob = db.prepare<[number], JobRow>("SELECT * FROM generation_jobs WHERE project_id = ? AND status IN ('queued', 'running')");
  const latestJob = db.prepare<[number], JobRow>('SELECT * FROM generation_jobs WHERE project_id = ? ORDER BY id DESC LIMIT 1');
  const jobById = db.prepare<[number], JobRow>('SELECT * FROM generation_jobs WHERE id = ?');
  // The creator holds the lease from the first moment, so no other process's takeover scan grabs a job it just made.
  const insertJob = db.prepare<[number, number, number | null, string, number], JobRow>(
    "INSERT INTO generation_jobs (project_id, status, concurrency, created_by, owner, heartbeat_at) VALUES (?, 'queued', ?, ?, ?, ?) RETURNING *",
  );
  const insertTasks = db.prepare<[number, number, number]>(
    'INSERT INTO generation_tasks (job_id, prompt_id) SELECT ?, id FROM prompts WHERE project_id = ? AND excluded = 0 AND response_count < ?',
  );
  const missingTotal = db.prepare<[number, number, number], { total: number }>(
    'SELECT coalesce(sum(? - response_count), 0) AS total FROM prompts WHERE project_id = ? AND excluded = 0 AND response_count < ?',
  );
  const setTotal = db.prepare<[number, number]>('UPDATE generation_jobs SET total = ? WHERE id = ?');
  // Leases: plain conditional UPDATEs whose changes count says who won, so two processes (or two engines) agree
  // without locks. Times are the caller's clock in ms; the lease is many seconds, far above any clock skew we accept.
  const claim = db.prepare<[string, number, string, number, string, number]>(
    `UPDATE generation_jobs SET status = 'running', owner = ?, heartbeat_at = ?, started_at = coalesce(started_at, ?)
     WHERE id = ? AND status IN ('queued', 'running') AND (owner IS NULL OR owner = ? OR heartbeat_at < ?)`,
  );
  const renew = db.prepare<[number, number, string]>("UPDATE generation_jobs SET heartbeat_at = ? WHERE id = ? AND owner = ? AND status IN ('queued', 'running')");
  const stale = db.prepare<[number], { id: number }>(
    "SELECT id FROM generation_jobs WHERE status IN ('queued', 'running') AND (owner IS NULL OR heartbeat_at < ?) ORDER BY id",
  );
  const leaseOf = db.prepare<[number], { owner: string | null; heartbeat_at: number }>('SELECT owner, heartbeat_at FROM generation_jobs WHERE id = ?');
  const pending = db.prepare<[number, number, number], PendingPrompt>(
    `SELECT p.id AS promptId, p.external_id AS externalId, p.messages, p.response_count AS responseCount
     FROM generation_tasks t JOIN prompts p ON p.id = t.prompt_id
     WHERE t.job_id = ? AND t.state = 'pending' AND t.prompt_id > ? ORDER BY t.prompt_id LIMIT ?`,
  );
  const stored = db.prepare<[number], StoredResponse>('SELECT text, policy, params FROM responses WHERE prompt_id = ? ORDER BY id');
  const responseCount = db.prepare<[number], { response_count: number; k: number }>(
    'SELECT p.response_count, pr.responses_per_prompt AS k FROM prompts p JOIN projects pr ON pr.id = p.project_id WHERE p.id = ?',
  );
  const setTask = db.prepare<[string, string | null, number, number]>('UPDATE generation_tasks SET state = ?, error = ? WHERE job_id = ? AND prompt_id = ?');
  // Only the lease holder writes: this first statement of recordOutcomes is the fence (and, in Postgres, takes the
  // row lock). No status condition: a cancelled job keeps its owner until the runner has written its last whole
  // prompts and let go.
  const fence = db.prepare<[number, number, string]>('UPDATE generation_jobs SET heartbeat_at = ? WHERE id = ? AND owner = ?');
  const bumpJob = db.prepare<[number, number, number, number, string, number]>(
    'UPDATE generation_jobs SET done = done + ?, failed = failed + ?, duplicates = duplicates + ?, length_finishes = length_finishes + ?, errors = ? WHERE id = ?',
  );
  const statusOf = db.prepare<[number], { status: JobStatus }>('SELECT status FROM generation_jobs WHERE id = ?');
  const finish = db.prepare<[JobStatus, string, number, string]>(
    "UPDATE generation_jobs SET status = ?, finished_at = ?, owner = NULL WHERE id = ? AND owner = ? AND status IN ('queued', 'running')",
  );
  const cancel = db.prepare<[string, number]>("UPDATE generation_jobs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status IN ('queued', 'running')");
  const failWithError = db.prepare<[string, string, number, string]>(
    "UPDATE generation_jobs SET status = 'failed', errors = ?, finished_at = ?, owner = NULL WHERE id = ? AND owner = ? AND status IN ('queued', 'running')",
  );
  const release = db.prepare<[number, string]>('UPDATE generation_jobs SET owner = NULL, heartbeat_at = 0 WHERE id = ? AND owner = ?');

  return {
    settings(projectId: number): SamplingSettings | null {
      const r = getSettings.get(projectId);
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
     * it is now, so a concurrent URL change can never leave a key paired with a URL it was not stored for.
     */
    saveSettings(projectId: number, s: SamplingSettingsParsed, who: { mayNameKeyEnv: boolean }): KeyDecision {
      return db.transaction((): KeyDecision => {
        const before = getSettings.get(projectId);
        const decision = keysAfterEdit(before ? { baseUrl: before.base_url, apiKey: before.api_key, apiKeyEnv: before.api_key_env } : null, s.endpoint, who.mayNameKeyEnv);
        if (!decision.ok) return decision;
        const { apiKey, apiKeyEnv } = decision.keys;
        upsertSettings.run(projectId, s.endpoint.baseUrl, apiKey, apiKeyEnv, s.systemPrompt, JSON.stringify(s.policies), s.requestTimeoutMs, s.maxRetries, now());
        return decision;
      }).immediate();
    },
    /** A queued job over every prompt short of K, or the job already active for the project. */
    createJob(projectId: number, k: number, concurrency: number, userId: number | null, lease: { owner: string; at: number }): { job: GenerationJob; created: boolean } {
      return db.transaction(() => {
        const active = activeJob.get(projectId);
        if (active) return { job: toJob(active), created: false };
        const row = insertJob.get(projectId, concurrency, userId, lease.owner, lease.at);
        if (!row) throw new Error('job insert returned nothing');
        insertTasks.run(row.id, projectId, k);
        const total = missingTotal.get(k, projectId, k)?.total ?? 0;
        setTotal.run(total, row.id);
        return { job: { ...toJob(row), total }, created: true };
      }).immediate();
    },
    job(id: number): GenerationJob | null {
      const r = jobById.get(id);
      return r ? toJob(r) : null;
    },
    lease(id: number): JobLease | null {
      const r = leaseOf.get(id);
      return r ? { owner: r.owner, heartbeatAt: r.heartbeat_at } : null;
    },
    activeJob(projectId: number): GenerationJob | null {
      const r = activeJob.get(projectId);
      return r ? toJob(r) : null;
    },
    latestJob(projectId: number): GenerationJob | null {
      const r = latestJob.get(projectId);
      return r ? toJob(r) : null;
    },
    /**
     * Takes the job's lease for `owner` and marks it running: true when nobody holds it, `owner` already does, or
     * the holder's heartbeat is older than `staleBefore`; false when another holder is alive or the job has ended.
     */
    claimJob(id: number, owner: string, at: number, staleBefore: number): boolean {
      return claim.run(owner, at, new Date(at).toISOString(), id, owner, staleBefore).changes === 1;
    },
    /** Renews the lease; false when `owner` no longer holds it (taken over) or the job has ended. */
    renewLease(id: number, owner: string, at: number): boolean {
      return renew.run(at, id, owner).changes === 1;
    },
    /** Unfinished jobs nobody holds a live lease on: free to take over. */
    staleJobs(staleBefore: number): number[] {
      return stale.all(staleBefore).map((r) => r.id);
    },
    pendingPrompts(jobId: number, afterPromptId: number, limit: number): PendingPrompt[] {
      return pending.all(jobId, afterPromptId, limit);
    },
    storedResponses(promptId: number): StoredResponse[] {
      return stored.all(promptId);
    },
    /**
     * Stores finished prompts and the job's counters in one transaction (the runner batches them), never
     * past K: a prompt filled meanwhile keeps what it has.
     */
    /** False, writing nothing, when `owner` has lost the job's lease. */
    recordOutcomes(jobId: number, owner: string, at: number, outcomes: PromptOutcome[], errors: JobError[]): boolean {
      return db.transaction(() => {
        if (fence.run(at, jobId, owner).changes !== 1) return false;
        let done = 0;
        let failed = 0;
        let duplicates = 0;
        let lengths = 0;
        for (const o of outcomes) {
          const at = responseCount.get(o.promptId);
          if (!at) continue; // the prompt was deleted while we sampled it
          const room = Math.max(0, at.k - at.response_count);
          const keep = o.responses.slice(0, room);
          if (keep.length) prompts.addResponses(o.promptId, keep);
          // samples dropped because the prompt filled up meanwhile are not missing any more either
          const filled = Math.min(o.needed, o.responses.length);
          done += filled;
          failed += o.needed - filled;
          for (const r of keep) {
            if (r.duplicate) duplicates++;
            if (r.finishReason === 'length') lengths++;
          }
          setTask.run(o.error ? 'failed' : 'done', o.error, jobId, o.promptId);
        }
        bumpJob.run(done, failed, duplicates, lengths, JSON.stringify(errors), jobId);
        return true;
      }).immediate();
    },
    jobStatus(id: number): JobStatus | null {
      return statusOf.get(id)?.status ?? null;
    },
    /** Ends the job as its lease holder; false when `owner` lost the lease or the job ended meanwhile (a cancel). */
    finishJob(id: number, owner: string, status: 'done' | 'failed'): boolean {
      return finish.run(status, now(), id, owner).changes === 1;
    },
    failJob(id: number, owner: string, errors: JobError[]): boolean {
      return failWithError.run(JSON.stringify(errors), now(), id, owner).changes === 1;
    },
    /** Anyone with the right may cancel, lease or not; the holder sees it at its next flush and stops. */
    cancelJob(id: number): boolean {
      return cancel.run(now(), id).changes === 1;
    },
    /** Lets any process take the job over at once: its owner stopped without finishing it. */
    releaseJob(id: number, owner: string): void {
      release.run(id, owner);
    },
  };
}
export type SamplingStore = ReturnType<typeof samplingStore>;

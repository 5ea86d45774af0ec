CREATE TABLE sampling_settings (
  project_id BIGINT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  base_url TEXT NOT NULL,
  api_key TEXT,
  api_key_env TEXT,
  system_prompt TEXT NOT NULL DEFAULT '',
  policies TEXT NOT NULL,
  request_timeout_ms INTEGER NOT NULL,
  max_retries INTEGER NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
);

CREATE TABLE generation_jobs (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  concurrency INTEGER NOT NULL,
  total INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  length_finishes INTEGER NOT NULL DEFAULT 0,
  errors TEXT NOT NULL DEFAULT '[]',
  runner TEXT,
  created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX generation_jobs_project ON generation_jobs(project_id, id);
CREATE UNIQUE INDEX generation_jobs_one_active ON generation_jobs(project_id) WHERE status IN ('queued', 'running');

CREATE TABLE generation_tasks (
  job_id BIGINT NOT NULL REFERENCES generation_jobs(id) ON DELETE CASCADE,
  prompt_id BIGINT NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
  error TEXT,
  PRIMARY KEY (job_id, prompt_id)
);

-- How a project samples its K responses. The API key is stored for the server to use and never leaves it.
CREATE TABLE sampling_settings (
  project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  base_url TEXT NOT NULL,
  api_key TEXT,
  api_key_env TEXT,
  system_prompt TEXT NOT NULL DEFAULT '',
  policies TEXT NOT NULL,
  request_timeout_ms INTEGER NOT NULL,
  max_retries INTEGER NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Counts are samples. `runner` names the process working the job (host:pid), so start-up resumes only
-- jobs whose runner is gone.
CREATE TABLE generation_jobs (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  concurrency INTEGER NOT NULL,
  total INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  length_finishes INTEGER NOT NULL DEFAULT 0,
  errors TEXT NOT NULL DEFAULT '[]',
  runner TEXT,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX generation_jobs_project ON generation_jobs(project_id, id);
-- one job at a time per project: two would sample the same missing responses
CREATE UNIQUE INDEX generation_jobs_one_active ON generation_jobs(project_id) WHERE status IN ('queued', 'running');

-- The prompts a job must fill; what to sample for each is decided from the stored responses when it runs.
CREATE TABLE generation_tasks (
  job_id INTEGER NOT NULL REFERENCES generation_jobs(id) ON DELETE CASCADE,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
  error TEXT,
  PRIMARY KEY (job_id, prompt_id)
) WITHOUT ROWID;

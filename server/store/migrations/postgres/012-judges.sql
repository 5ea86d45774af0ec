-- As ../012-judges.sql: AI judges, their rankings (never human labels), unreadable answers, and judge runs as jobs.
CREATE TABLE judges (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  model TEXT NOT NULL,
  base_url TEXT,
  api_key TEXT,
  api_key_env TEXT,
  temperature DOUBLE PRECISION,
  both_orders INTEGER NOT NULL DEFAULT 1,
  template TEXT,
  created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
  UNIQUE (project_id, name)
);

CREATE TABLE judge_rankings (
  judge_id BIGINT NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
  prompt_id BIGINT NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  display_index INTEGER NOT NULL,
  criterion TEXT NOT NULL,
  shown_order TEXT NOT NULL,
  tiers TEXT NOT NULL,
  job_id BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (judge_id, prompt_id, display_index, criterion)
);
CREATE INDEX judge_rankings_prompt ON judge_rankings(prompt_id);

CREATE TABLE judge_failures (
  id BIGSERIAL PRIMARY KEY,
  job_id BIGINT NOT NULL REFERENCES generation_jobs(id) ON DELETE CASCADE,
  judge_id BIGINT NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
  prompt_id BIGINT NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  display_index INTEGER NOT NULL,
  error TEXT NOT NULL,
  answer TEXT,
  created_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
);
CREATE INDEX judge_failures_judge ON judge_failures(judge_id, id);

ALTER TABLE generation_jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'generation' CHECK (kind IN ('generation', 'judge'));
ALTER TABLE generation_jobs ADD COLUMN judge_id BIGINT REFERENCES judges(id) ON DELETE CASCADE;
DROP INDEX generation_jobs_one_active;
CREATE UNIQUE INDEX generation_jobs_one_active ON generation_jobs(project_id) WHERE status IN ('queued', 'running') AND kind = 'generation';
CREATE UNIQUE INDEX judge_jobs_one_active ON generation_jobs(judge_id) WHERE status IN ('queued', 'running') AND kind = 'judge';

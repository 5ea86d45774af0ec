-- AI judges (docs/judges.md, decision 020). A judge is a model on an OpenAI-compatible endpoint that ranks a project's
-- prompts like a labeler; its rankings live in their own table and never count as human labels. base_url NULL: the
-- project's sampling endpoint (and its key) at run time. A stored key is bound to base_url, as sampling's is.
CREATE TABLE judges (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  model TEXT NOT NULL,
  base_url TEXT,
  api_key TEXT,
  api_key_env TEXT,
  temperature REAL,
  both_orders INTEGER NOT NULL DEFAULT 1,
  template TEXT,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (project_id, name)
);

-- One row per judge, prompt, display order (0: responses as stored, 1: reversed) and criterion key. `shown_order` is
-- the response ids as the judge saw them under A, B, …; `tiers` its ranking of them as response ids, best first.
CREATE TABLE judge_rankings (
  judge_id INTEGER NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  display_index INTEGER NOT NULL,
  criterion TEXT NOT NULL,
  shown_order TEXT NOT NULL,
  tiers TEXT NOT NULL,
  job_id INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (judge_id, prompt_id, display_index, criterion)
);
CREATE INDEX judge_rankings_prompt ON judge_rankings(prompt_id);

-- Answers a judge gave that could not be read, even after one more try: the lead reads the text to fix the template.
CREATE TABLE judge_failures (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES generation_jobs(id) ON DELETE CASCADE,
  judge_id INTEGER NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  display_index INTEGER NOT NULL,
  error TEXT NOT NULL,
  answer TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX judge_failures_judge ON judge_failures(judge_id, id);

-- Judge runs are jobs of the same table, lease and contract as sampling jobs; `kind` picks the work a runner does.
-- One active sampling job per project as before, and one active run per judge beside it.
ALTER TABLE generation_jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'generation' CHECK (kind IN ('generation', 'judge'));
ALTER TABLE generation_jobs ADD COLUMN judge_id INTEGER REFERENCES judges(id) ON DELETE CASCADE;
DROP INDEX generation_jobs_one_active;
CREATE UNIQUE INDEX generation_jobs_one_active ON generation_jobs(project_id) WHERE status IN ('queued', 'running') AND kind = 'generation';
CREATE UNIQUE INDEX judge_jobs_one_active ON generation_jobs(judge_id) WHERE status IN ('queued', 'running') AND kind = 'judge';

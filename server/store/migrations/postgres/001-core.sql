-- The same schema as ../001-core.sql, in Postgres terms. Integers that hold epoch milliseconds or ids are
-- BIGINT; flags stay 0/1 integers (not boolean) so every query reads the same on both engines; text
-- timestamps are written in the same ISO form SQLite's strftime gives.
CREATE COLLATION IF NOT EXISTS podium_nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  -- SQLite's COLLATE NOCASE: usernames are unique and looked up regardless of case
  username TEXT NOT NULL UNIQUE COLLATE podium_nocase,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'labeler')),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
);

-- `rowid` is a real column here: SQLite gives every table one, and the account pages name sessions by it.
CREATE TABLE sessions (
  rowid BIGSERIAL UNIQUE,
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id BIGSERIAL PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
  last_used_at TEXT,
  revoked_at TEXT
);

CREATE TABLE projects (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  guidelines TEXT NOT NULL DEFAULT '',
  responses_per_prompt INTEGER NOT NULL CHECK (responses_per_prompt BETWEEN 2 AND 9),
  labelers_per_prompt INTEGER NOT NULL CHECK (labelers_per_prompt >= 1),
  allow_ties INTEGER NOT NULL DEFAULT 1,
  lease_minutes INTEGER NOT NULL DEFAULT 30,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
);

CREATE TABLE project_members (
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL DEFAULT 'labeler' CHECK (role IN ('lead', 'labeler')),
  excluded INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, user_id)
);

CREATE TABLE prompts (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  external_id TEXT NOT NULL,
  messages TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  response_count INTEGER NOT NULL DEFAULT 0,
  taken INTEGER NOT NULL DEFAULT 0,
  submitted INTEGER NOT NULL DEFAULT 0,
  extra_labelers INTEGER NOT NULL DEFAULT 0,
  excluded INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
  UNIQUE (project_id, external_id)
);
CREATE INDEX prompts_pool ON prompts(project_id, (taken - extra_labelers) DESC, id) WHERE excluded = 0;

CREATE TABLE responses (
  id BIGSERIAL PRIMARY KEY,
  prompt_id BIGINT NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  model TEXT,
  policy TEXT,
  params TEXT,
  seed BIGINT,
  latency_ms BIGINT,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  finish_reason TEXT,
  duplicate INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT 'import' CHECK (source IN ('import', 'sampled')),
  created_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
);
CREATE INDEX responses_prompt ON responses(prompt_id);

CREATE TABLE assignments (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  prompt_id BIGINT NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  display_order TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'submitted', 'skipped', 'expired')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  finished_at BIGINT,
  skip_reason TEXT
);
CREATE INDEX assignments_user_prompt ON assignments(prompt_id, user_id);
CREATE INDEX assignments_user ON assignments(user_id, project_id, state);
CREATE INDEX assignments_open_expiry ON assignments(project_id, expires_at) WHERE state = 'open';
CREATE UNIQUE INDEX assignments_one_open ON assignments(project_id, user_id) WHERE state = 'open';
CREATE UNIQUE INDEX assignments_once_per_prompt ON assignments(prompt_id, user_id) WHERE state IN ('open', 'submitted');

CREATE TABLE rankings (
  id BIGSERIAL PRIMARY KEY,
  assignment_id BIGINT NOT NULL UNIQUE REFERENCES assignments(id) ON DELETE CASCADE,
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  prompt_id BIGINT NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tiers TEXT NOT NULL,
  payload TEXT NOT NULL,
  not_rankable INTEGER NOT NULL DEFAULT 0,
  flags TEXT NOT NULL DEFAULT '{}',
  comment TEXT NOT NULL DEFAULT '',
  duration_ms BIGINT,
  shown_first BIGINT,
  excluded INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX rankings_prompt ON rankings(prompt_id);
CREATE INDEX rankings_project_user ON rankings(project_id, user_id, created_at);

CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
  user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT
);

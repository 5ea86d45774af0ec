CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'labeler')),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  last_used_at TEXT,
  revoked_at TEXT
);

CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  guidelines TEXT NOT NULL DEFAULT '',
  responses_per_prompt INTEGER NOT NULL CHECK (responses_per_prompt BETWEEN 2 AND 9),
  labelers_per_prompt INTEGER NOT NULL CHECK (labelers_per_prompt >= 1),
  allow_ties INTEGER NOT NULL DEFAULT 1,
  lease_minutes INTEGER NOT NULL DEFAULT 30,
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE project_members (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL DEFAULT 'labeler' CHECK (role IN ('lead', 'labeler')),
  excluded INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, user_id)
) WITHOUT ROWID;

CREATE TABLE prompts (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  external_id TEXT NOT NULL,
  messages TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  response_count INTEGER NOT NULL DEFAULT 0,
  -- assignments holding a place on this prompt: open leases plus submitted rankings
  taken INTEGER NOT NULL DEFAULT 0,
  submitted INTEGER NOT NULL DEFAULT 0,
  extra_labelers INTEGER NOT NULL DEFAULT 0,
  excluded INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (project_id, external_id)
);
-- the assignment pool: places taken net of extra places a lead granted, so 'has room' is a range seek
CREATE INDEX prompts_pool ON prompts(project_id, (taken - extra_labelers) DESC, id) WHERE excluded = 0;

CREATE TABLE responses (
  id INTEGER PRIMARY KEY,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  model TEXT,
  policy TEXT,
  params TEXT,
  seed INTEGER,
  latency_ms INTEGER,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  finish_reason TEXT,
  duplicate INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL DEFAULT 'import' CHECK (source IN ('import', 'sampled')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX responses_prompt ON responses(prompt_id);

CREATE TABLE assignments (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  display_order TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'submitted', 'skipped', 'expired')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  finished_at INTEGER,
  skip_reason TEXT
);
CREATE INDEX assignments_user_prompt ON assignments(prompt_id, user_id);
CREATE INDEX assignments_user ON assignments(user_id, project_id, state);
CREATE INDEX assignments_open_expiry ON assignments(project_id, expires_at) WHERE state = 'open';
-- one open task per labeler and project, and never the same prompt twice for one labeler while it counts
CREATE UNIQUE INDEX assignments_one_open ON assignments(project_id, user_id) WHERE state = 'open';
CREATE UNIQUE INDEX assignments_once_per_prompt ON assignments(prompt_id, user_id) WHERE state IN ('open', 'submitted');

CREATE TABLE rankings (
  id INTEGER PRIMARY KEY,
  assignment_id INTEGER NOT NULL UNIQUE REFERENCES assignments(id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tiers TEXT NOT NULL,
  payload TEXT NOT NULL,
  not_rankable INTEGER NOT NULL DEFAULT 0,
  flags TEXT NOT NULL DEFAULT '{}',
  comment TEXT NOT NULL DEFAULT '',
  duration_ms INTEGER,
  shown_first INTEGER,
  excluded INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX rankings_prompt ON rankings(prompt_id);
CREATE INDEX rankings_project_user ON rankings(project_id, user_id, created_at);

CREATE TABLE ranking_items (
  ranking_id INTEGER NOT NULL REFERENCES rankings(id) ON DELETE CASCADE,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  rank REAL NOT NULL,
  PRIMARY KEY (ranking_id, response_id)
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT
);

-- As ../014-import-stage.sql: staged import lines, moved into prompts and responses in one short transaction at the
-- end. BIGSERIAL never gives an id twice, as AUTOINCREMENT does there.
CREATE TABLE IF NOT EXISTS import_batches (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  owner TEXT NOT NULL,
  heartbeat_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS import_stage_prompts (
  batch_id BIGINT NOT NULL,
  line INTEGER NOT NULL,
  external_id TEXT NOT NULL,
  messages TEXT NOT NULL,
  metadata TEXT NOT NULL,
  response_count INTEGER NOT NULL,
  -- a gold line's known order as a template of its response positions, "[[#0],[#2,#1]]" (the move puts in their ids)
  gold TEXT,
  skipped INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (batch_id, line)
);
CREATE TABLE IF NOT EXISTS import_stage_responses (
  batch_id BIGINT NOT NULL,
  line INTEGER NOT NULL,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  model TEXT,
  PRIMARY KEY (batch_id, line, position)
);

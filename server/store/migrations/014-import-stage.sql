-- An import being written (docs/decisions/023-staged-imports.md). Its lines are staged here in short transactions
-- while the upload is still being checked, then moved into prompts and responses by one transaction of a few
-- INSERT ... SELECT statements, so a big file neither holds the write lock for its whole upload nor is ever partly
-- visible: staged rows are read by nothing but that move.
-- A batch is a lease (as generation jobs are): `owner` is one run of one process, `heartbeat_at` (ms since the epoch)
-- when it last renewed it; any server drops a batch whose heartbeat is stale, then its staged rows.
-- AUTOINCREMENT: an id is never given again, so a new batch cannot meet the staged rows of a dropped one that are
-- still being deleted. The staged rows have no foreign key to their batch for the same reason: dropping a batch must
-- not delete megabytes of rows in the same transaction. IF NOT EXISTS: a migration test replays every later migration.
CREATE TABLE IF NOT EXISTS import_batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  owner TEXT NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS import_stage_prompts (
  batch_id INTEGER NOT NULL,
  line INTEGER NOT NULL,
  external_id TEXT NOT NULL,
  messages TEXT NOT NULL,
  metadata TEXT NOT NULL,
  response_count INTEGER NOT NULL,
  -- a gold line's known order as a template of its response positions, "[[#0],[#2,#1]]" (the move puts in their ids)
  gold TEXT,
  -- set by the move for a line whose id the project already has
  skipped INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (batch_id, line)
);
CREATE TABLE IF NOT EXISTS import_stage_responses (
  batch_id INTEGER NOT NULL,
  line INTEGER NOT NULL,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  model TEXT,
  PRIMARY KEY (batch_id, line, position)
);

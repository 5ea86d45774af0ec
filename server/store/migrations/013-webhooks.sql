-- Webhooks (docs/decisions/021-webhook-outbox.md). Times are ms since the epoch, written by the app.
CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  -- signs every delivery; never sent back by any route
  secret TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX webhooks_project ON webhooks(project_id, id);

-- One row per webhook and event it wants, keyed for the question every submit asks: which hooks of this project want
-- this event? A project without hooks answers it with one empty index range.
CREATE TABLE webhook_events (
  project_id INTEGER NOT NULL,
  event TEXT NOT NULL,
  webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  PRIMARY KEY (project_id, event, webhook_id)
);
CREATE INDEX webhook_events_webhook ON webhook_events(webhook_id);

-- The outbox: written in the transaction of the change it reports, so an acknowledged change always has its row.
-- A row is claimed by pushing next_at forward by the lease and stamping owner; a dead owner's row falls due again.
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL,
  event TEXT NOT NULL,
  prompt_id INTEGER,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  owner TEXT,
  finished_at INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, id);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries(finished_at) WHERE state <> 'pending';

-- The delivery log: one row per POST.
CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  at INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, attempt);

-- Failed-login throttling, kept in the database so that every app server on one database shares it
-- (docs/decisions/008-login-throttling.md). Plain SQL that Postgres runs as well. One row per
-- (account, address) pair and one per address; a row is forgotten once forget_at passes.
CREATE TABLE login_throttle (
  scope TEXT NOT NULL CHECK (scope IN ('pair', 'address')),
  subject TEXT NOT NULL,
  failures INTEGER NOT NULL,
  blocked_until BIGINT NOT NULL,
  forget_at BIGINT NOT NULL,
  -- attempts refused during the current block; the first one writes the burst's audit row
  refused INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, subject)
);
CREATE INDEX login_throttle_forget ON login_throttle (forget_at);

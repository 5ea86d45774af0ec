-- As ../007-login-throttle.sql: failed-login throttling in the database, shared by every app server.
CREATE TABLE login_throttle (
  scope TEXT NOT NULL CHECK (scope IN ('pair', 'address')),
  subject TEXT NOT NULL,
  failures INTEGER NOT NULL,
  blocked_until BIGINT NOT NULL,
  forget_at BIGINT NOT NULL,
  refused INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, subject)
);
CREATE INDEX login_throttle_forget ON login_throttle (forget_at);

CREATE TABLE invites (
  id BIGSERIAL PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'labeler')),
  project_id BIGINT REFERENCES projects(id) ON DELETE CASCADE,
  created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  used_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);

ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN address TEXT;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE INDEX audit_log_action ON audit_log(action, id);

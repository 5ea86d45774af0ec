-- As ../006-job-leases.sql: a job is owned by a lease (owner, heartbeat_at in ms since the epoch), not by a process id.
ALTER TABLE generation_jobs RENAME COLUMN runner TO owner;
ALTER TABLE generation_jobs ADD COLUMN heartbeat_at BIGINT NOT NULL DEFAULT 0;

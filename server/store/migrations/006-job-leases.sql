-- A job is owned by a lease, not by a process id: `owner` names one run of one process (host, pid and a random
-- part, so a reused pid or a container's pid 1 is never mistaken for it), and `heartbeat_at` (ms since the epoch)
-- is when the owner last renewed it. Anyone may take over a job whose heartbeat is older than the lease
-- (docs/decisions/007-job-leases.md). A job left running by the old PID scheme has heartbeat 0: stale at once.
ALTER TABLE generation_jobs RENAME COLUMN runner TO owner;
ALTER TABLE generation_jobs ADD COLUMN heartbeat_at INTEGER NOT NULL DEFAULT 0;

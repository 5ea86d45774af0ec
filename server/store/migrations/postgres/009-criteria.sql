-- As ../009-criteria.sql.
-- A project's criteria (shared/criteria.ts): what its labelers rank by, in order, as JSON. Every project made before
-- criteria existed ranked by one thing, so it gets the one default criterion and its API calls keep working.
ALTER TABLE projects ADD COLUMN criteria TEXT NOT NULL DEFAULT '[{"key":"overall","name":"Overall","description":"","weight":1}]';

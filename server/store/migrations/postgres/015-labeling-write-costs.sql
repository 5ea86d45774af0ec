-- Less work per submit on Postgres, same behaviour (docs/decisions/032-postgres-backend-cpu-per-submit.md).
--
-- The expiry sweep (project_id = ? AND state = 'open' AND expires_at <= ?) runs on every lease and is meant to read
-- the empty range of assignments_open_expiry; the open-task lookup (project_id = ? AND user_id = ? AND state = 'open')
-- one row of assignments_one_open. Both indexes led with project_id, so each statement matched both, and with the
-- estimates of a young table (or a generic plan) Postgres took the wrong one: the sweep read every open lease of the
-- project and its heap row, on every lease. Keyed so that each statement matches only its own index, the choice no
-- longer rests on statistics; the uniqueness rule (one open task per labeler and project) is the same.
DROP INDEX assignments_one_open;
CREATE UNIQUE INDEX assignments_one_open ON assignments(user_id, project_id) WHERE state = 'open';
DROP INDEX assignments_open_expiry;
CREATE INDEX assignments_open_expiry ON assignments(expires_at, project_id) WHERE state = 'open';
-- The same for the pool's pick, whose NOT EXISTS asks for this labeler's assignment of each candidate prompt: with
-- assignments_user led by user_id, young-table estimates made it read all of the labeler's assignments on every pick
-- (a hash of them) instead of probing (prompt_id, user_id) per candidate. Every query that reads a labeler's
-- assignments also names the project, so leading with project_id serves them as before.
DROP INDEX assignments_user;
CREATE INDEX assignments_user ON assignments(project_id, user_id, state);

-- Foreign keys that only repeat another: a ranking's project, prompt and labeler are its assignment's (submit copies
-- them from the locked assignment row), and an assignment's project is its prompt's (the pool picks the prompt within
-- the project). The assignment's and the prompt's own keys still check and cascade them, so deleting a project, prompt
-- or user removes the same rows. Each repeated key cost a check per insert, a row lock on the referenced row: four per
-- submit, two of them on the project's one row, which every labeler's transaction share-locked (a multixact each time).
ALTER TABLE rankings DROP CONSTRAINT rankings_project_id_fkey;
ALTER TABLE rankings DROP CONSTRAINT rankings_prompt_id_fkey;
ALTER TABLE rankings DROP CONSTRAINT rankings_user_id_fkey;
ALTER TABLE assignments DROP CONSTRAINT assignments_project_id_fkey;

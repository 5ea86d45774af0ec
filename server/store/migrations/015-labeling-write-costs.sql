-- Nothing to change on SQLite: this number's Postgres migration re-keys an index the Postgres planner misused and drops
-- foreign-key checks that cost a row lock each there (docs/decisions/032-postgres-backend-cpu-per-submit.md).
SELECT 1;

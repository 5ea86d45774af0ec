-- Nothing to change on Postgres: this number's SQLite migration makes the index a prompt's rankings are read by cover
-- what those reads take (docs/decisions/042-rankings-read-from-their-index.md). On Postgres an index-only scan also
-- needs the visibility map, which VACUUM sets and freshly submitted rankings lack, so the same index would not spare
-- the heap visits of the rankings a lead exports soonest; it was not measured there.
SELECT 1;

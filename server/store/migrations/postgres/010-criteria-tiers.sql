-- As ../010-criteria-tiers.sql.
-- One ranking per criterion per submission, still one rankings row per submission. `tiers` stays the first criterion's
-- tiers; `criteria_tiers` is every criterion's tiers as JSON {key: tiers}, NULL on a one-criterion project.
ALTER TABLE rankings ADD COLUMN criteria_tiers TEXT;

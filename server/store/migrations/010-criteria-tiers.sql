-- One ranking per criterion per submission, still one rankings row per submission (places, kept counts and exclusion
-- are per submission). `tiers` stays the first criterion's tiers, so every reader that knows one criterion (and the
-- ranking_items view) keeps working; `criteria_tiers` is every criterion's tiers as JSON {key: tiers}. It is NULL on a
-- one-criterion project, where `tiers` already says it all and a submit writes nothing more than before.
ALTER TABLE rankings ADD COLUMN criteria_tiers TEXT;

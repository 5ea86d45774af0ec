-- Postgres never had the stored ranking_items copy (see ../005-ranking-items-view.sql): the view alone, with
-- the same columns and values, for anyone averaging ranks in SQL.
CREATE VIEW ranking_items (ranking_id, response_id, rank) AS
WITH tiers AS (
  SELECT r.id AS ranking_id, t.members, jsonb_array_length(t.members) AS size,
         sum(jsonb_array_length(t.members)) OVER (PARTITION BY r.id ORDER BY t.position) AS through
  FROM rankings r, jsonb_array_elements(r.tiers::jsonb) WITH ORDINALITY AS t(members, position)
  WHERE r.not_rankable = 0
)
-- A tier covering positions p..q gives each of its responses (p + q) / 2.
SELECT tiers.ranking_id, m.value::bigint, ((tiers.through - tiers.size + 1) + (tiers.size - 1) / 2.0)::double precision
FROM tiers, jsonb_array_elements_text(tiers.members) m;

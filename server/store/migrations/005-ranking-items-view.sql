-- ranking_items was a stored copy of every ranking's fractional ranks, one row per response, so SQL could average
-- them. Every reader now derives ranks from rankings.tiers with the pure functions in server/ranking, and the copy
-- cost each submit four inserts with their foreign-key checks (a third of a submit's SQL time) and could drift from
-- the tiers. It stays as a view with the same columns, for anyone averaging ranks in SQL against the database file.
DROP TABLE ranking_items;

CREATE VIEW ranking_items (ranking_id, response_id, rank) AS
WITH tiers AS (
  SELECT r.id AS ranking_id, t.value AS members, json_array_length(t.value) AS size,
         sum(json_array_length(t.value)) OVER (PARTITION BY r.id ORDER BY t.key) AS through
  FROM rankings r, json_each(r.tiers) t
  WHERE r.not_rankable = 0
)
-- A tier covering positions p..q gives each of its responses (p + q) / 2.
SELECT tiers.ranking_id, m.value, (tiers.through - tiers.size + 1) + (tiers.size - 1) / 2.0
FROM tiers, json_each(tiers.members) m;

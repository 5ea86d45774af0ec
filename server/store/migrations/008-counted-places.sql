-- A prompt's places are now its open leases plus its kept rankings (neither the ranking nor its labeler excluded, as
-- rankingKept in server/store/counted-rankings.ts says), so excluding a labeler or a ranking gives the place back to
-- the pool and another labeler is offered the prompt. `kept` is the second half on its own: the dashboard's progress.
-- `taken` keeps its name and its index (prompts_pool), so the pick stays one range seek.
ALTER TABLE prompts ADD COLUMN kept INTEGER NOT NULL DEFAULT 0;

-- An excluded labeler no longer holds a place: their open leases end, as excluding them ends them from now on.
UPDATE assignments SET state = 'expired', finished_at = CAST(unixepoch('subsec') * 1000 AS INTEGER)
WHERE state = 'open' AND EXISTS (
  SELECT 1 FROM project_members m WHERE m.project_id = assignments.project_id AND m.user_id = assignments.user_id AND m.excluded = 1
);

UPDATE prompts SET kept = (
  SELECT count(*) FROM rankings r LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
  WHERE r.prompt_id = prompts.id AND r.excluded = 0 AND coalesce(m.excluded, 0) = 0
);
UPDATE prompts SET taken = kept + (SELECT count(*) FROM assignments a WHERE a.prompt_id = prompts.id AND a.state = 'open');

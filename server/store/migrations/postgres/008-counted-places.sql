-- As ../008-counted-places.sql: a prompt's places are its open leases plus its kept rankings.
ALTER TABLE prompts ADD COLUMN kept INTEGER NOT NULL DEFAULT 0;

UPDATE assignments SET state = 'expired', finished_at = (extract(epoch FROM clock_timestamp()) * 1000)::bigint
WHERE state = 'open' AND EXISTS (
  SELECT 1 FROM project_members m WHERE m.project_id = assignments.project_id AND m.user_id = assignments.user_id AND m.excluded = 1
);

UPDATE prompts SET kept = (
  SELECT count(*) FROM rankings r LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
  WHERE r.prompt_id = prompts.id AND r.excluded = 0 AND coalesce(m.excluded, 0) = 0
);
UPDATE prompts SET taken = kept + (SELECT count(*) FROM assignments a WHERE a.prompt_id = prompts.id AND a.state = 'open');

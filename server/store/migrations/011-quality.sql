-- The quality loop (docs/quality.md, decision 019): gold prompts, auto-pause and adaptive overlap.
-- Project settings; a NULL cap means R (adaptive overlap off), so projects made before this keep their behaviour.
-- `gold_prompts` counts the project's gold prompts, so the labeling path knows without a query whether to look for one.
ALTER TABLE projects ADD COLUMN gold_rate REAL NOT NULL DEFAULT 0.1;
ALTER TABLE projects ADD COLUMN gold_min_tasks INTEGER NOT NULL DEFAULT 5;
ALTER TABLE projects ADD COLUMN gold_min_tau_b REAL NOT NULL DEFAULT 0.4;
ALTER TABLE projects ADD COLUMN max_labelers_per_prompt INTEGER;
ALTER TABLE projects ADD COLUMN min_kendall_w REAL NOT NULL DEFAULT 0.5;
ALTER TABLE projects ADD COLUMN gold_prompts INTEGER NOT NULL DEFAULT 0;

-- A gold prompt's known order (tiers of response ids, JSON) and when it was set: rankings from before are neither data
-- nor gold answers. `adaptive_extra`: the part of extra_labelers that adaptive overlap granted, for the dashboard.
ALTER TABLE prompts ADD COLUMN gold TEXT;
ALTER TABLE prompts ADD COLUMN gold_at INTEGER;
ALTER TABLE prompts ADD COLUMN adaptive_extra INTEGER NOT NULL DEFAULT 0;

-- Why a labeler is paused here (NULL: not paused); gold answers count from `gold_since` (ms), the last lifted pause.
-- `tasks_seen`/`gold_seen` count the leases handed out while the project had gold: the mix-in rate's running tally.
ALTER TABLE project_members ADD COLUMN paused_reason TEXT;
ALTER TABLE project_members ADD COLUMN gold_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE project_members ADD COLUMN tasks_seen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE project_members ADD COLUMN gold_seen INTEGER NOT NULL DEFAULT 0;

-- Gold prompts hold no normal places: the regular pool's index leaves them out, so its pick stays one range seek.
DROP INDEX prompts_pool;
CREATE INDEX prompts_pool ON prompts(project_id, (taken - extra_labelers) DESC, id) WHERE excluded = 0 AND gold IS NULL;
CREATE INDEX prompts_gold ON prompts(project_id, id) WHERE gold IS NOT NULL;

CREATE INDEX prompts_project ON prompts(project_id);

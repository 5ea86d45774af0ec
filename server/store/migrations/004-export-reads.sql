-- A project's prompts in id order, so the export reads each batch as a range instead of scanning
-- (and sorting) the whole project through the pool index for every batch.
CREATE INDEX prompts_project ON prompts(project_id);

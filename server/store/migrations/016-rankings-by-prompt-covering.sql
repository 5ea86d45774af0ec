-- Every column the export's read of a prompt's rankings takes is in the index it reads them by (and every column of
-- the recount of a prompt's places after an exclusion), so those reads never visit the table (docs/decisions/042-rankings-read-from-their-index.md).
-- Rankings are stored in the order they were submitted; labelers working at their own pace, extra labelers on disputed
-- prompts and late corrections scatter one prompt's rankings over the table, and a read by prompt then touched a page
-- per ranking: an export of 100k prompts took 4.0-4.4 s with shuffled rankings against 2.7 s in prompt order.
-- Read from the index, it takes 2.7 s either way. `id` follows prompt_id so rankings still come in submission order.
DROP INDEX rankings_prompt;
CREATE INDEX rankings_prompt ON rankings(prompt_id, id, project_id, user_id, excluded, not_rankable, tiers, criteria_tiers);

import { run, type Sql } from './engine/sql.ts';
import { rankingKept } from './counted-rankings.ts';

// How many places a prompt has filled, recounted from the rows rather than nudged by one: an exclusion and its undo,
// in any order and any number of times, always leave `kept` = kept rankings and `taken` = kept + open leases.
const keptOf = `(SELECT count(*) FROM rankings r LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
                WHERE r.prompt_id = prompts.id AND ${rankingKept})`;
const openOf = "(SELECT count(*) FROM assignments a WHERE a.prompt_id = prompts.id AND a.state = 'open')";

/**
 * The places a prompt holds in the assignment pool: open leases plus rankings that count as places. A "not rankable"
 * answer keeps its place (it is a judgement; see docs/decisions/009); an excluded ranking or labeler gives it back.
 * Both are steps of the caller's transaction.
 */
export const recountPrompt = (promptId: number): Sql<number> => run(`UPDATE prompts SET kept = ${keptOf}, taken = ${keptOf} + ${openOf} WHERE id = ?`, promptId);

/** After a labeler's exclusion changed: every prompt they were ever assigned in the project. */
export const recountMember = (projectId: number, userId: number): Sql<number> =>
  run(
    `UPDATE prompts SET kept = ${keptOf}, taken = ${keptOf} + ${openOf}
     WHERE id IN (SELECT prompt_id FROM assignments WHERE user_id = ? AND project_id = ?)`,
    userId,
    projectId,
  );

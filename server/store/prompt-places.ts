import { all, run, type Sql } from './engine/sql.ts';
import { rankingKept } from './counted-rankings.ts';

// How many places a prompt has filled, recounted from the rows rather than nudged by one: an exclusion and its undo,
// in any order and any number of times, always leave `kept` = kept rankings and `taken` = kept + open leases.
const keptOf = `(SELECT count(*) FROM rankings r LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
                WHERE r.prompt_id = prompts.id AND ${rankingKept})`;
const openOf = "(SELECT count(*) FROM assignments a WHERE a.prompt_id = prompts.id AND a.state = 'open')";

// On Postgres (read committed) a statement that waits for a row lock still counts with the snapshot it started
// with: a recount blocked behind a lease that then commits would miss that lease's open assignment and hand its
// place out twice. So the prompt rows are locked first (waiting for any lease on them to commit), and the recount
// that follows, a new statement, sees every committed lease; new leases skip the locked rows until commit.
// SQLite drops the lock clause: its write lock already orders the two.

/**
 * The places a prompt holds in the assignment pool: open leases plus rankings that count as places. A "not rankable"
 * answer keeps its place (it is a judgement; see docs/decisions/009); an excluded ranking or labeler gives it back.
 * Both are steps of the caller's transaction.
 */
export function* recountPrompt(promptId: number): Sql<number> {
  yield* all('SELECT id FROM prompts WHERE id = ? FOR UPDATE', promptId);
  return yield* run(`UPDATE prompts SET kept = ${keptOf}, taken = ${keptOf} + ${openOf} WHERE id = ?`, promptId);
}

const promptsOfMember = 'SELECT prompt_id FROM assignments WHERE user_id = ? AND project_id = ?';

/** After a labeler's exclusion changed: every prompt they were ever assigned in the project. */
export function* recountMember(projectId: number, userId: number): Sql<number> {
  // In id order, so two recounts lock shared prompts in the same order.
  yield* all(`SELECT id FROM prompts WHERE id IN (${promptsOfMember}) ORDER BY id FOR UPDATE`, userId, projectId);
  return yield* run(`UPDATE prompts SET kept = ${keptOf}, taken = ${keptOf} + ${openOf} WHERE id IN (${promptsOfMember})`, userId, projectId);
}

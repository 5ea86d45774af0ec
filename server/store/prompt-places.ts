import type { Db } from './db.ts';
import { rankingKept } from './counted-rankings.ts';

// How many places a prompt has filled, recounted from the rows rather than nudged by one: an exclusion and its undo,
// in any order and any number of times, always leave `kept` = kept rankings and `taken` = kept + open leases.
const keptOf = `(SELECT count(*) FROM rankings r LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
                WHERE r.prompt_id = prompts.id AND ${rankingKept})`;
const openOf = "(SELECT count(*) FROM assignments a WHERE a.prompt_id = prompts.id AND a.state = 'open')";

/**
 * The places a prompt holds in the assignment pool: open leases plus rankings that count as places. A "not rankable"
 * answer keeps its place (it is a judgement; see docs/decisions/009); an excluded ranking or labeler gives it back.
 */
export function promptPlaces(db: Db) {
  const recountPrompt = db.prepare<[number]>(`UPDATE prompts SET kept = ${keptOf}, taken = ${keptOf} + ${openOf} WHERE id = ?`);
  const recountMember = db.prepare<[number, number]>(
    `UPDATE prompts SET kept = ${keptOf}, taken = ${keptOf} + ${openOf}
     WHERE id IN (SELECT prompt_id FROM assignments WHERE user_id = ? AND project_id = ?)`,
  );
  return {
    /** After one ranking's exclusion changed. */
    recountPrompt(promptId: number): void {
      recountPrompt.run(promptId);
    },
    /** After a labeler's exclusion changed: every prompt they were ever assigned in the project. */
    recountMember(projectId: number, userId: number): void {
      recountMember.run(userId, projectId);
    },
  };
}

import { randomInt } from 'node:crypto';
import { all, get, run, type Sql } from './engine/sql.ts';
import { auditLine } from './audit.ts';
import { memberTarget } from './agreement-source.ts';
import type { Project } from '../../shared/projects.ts';
import { goldScore, pausedByGold, type GoldAnswer, type GoldScore } from '../quality/gold-score.ts';
import { goldDue } from '../quality/gold-mix.ts';

const uniform = (): number => randomInt(1_000_000) / 1_000_000;

// Steps of the labeling transaction (server/store/assignments.ts) for the quality loop's gold half: whether this lease
// is a gold prompt, and whether a gold answer pauses its labeler. A project without gold prompts pays nothing: every
// step returns before its first statement (the project row, loaded by the access check, says how many it has).

/** What the labeling path reads of a member in its one primary-key probe. */
export type MemberState = { excluded: number; paused_reason: string | null; tasks_seen: number; gold_seen: number };

export const memberState = (projectId: number, userId: number): Sql<MemberState | undefined> =>
  get<MemberState>('SELECT excluded, paused_reason, tasks_seen, gold_seen FROM project_members WHERE project_id = ? AND user_id = ?', projectId, userId);

/** A gold prompt this labeler has never been handed (in any state), at random; null when none is due or left. */
export function* pickGold(project: Project, userId: number, member: MemberState | undefined): Sql<number | null> {
  if (project.goldPrompts === 0 || project.goldRate === 0 || !member) return null;
  if (!goldDue(project.goldRate, member.tasks_seen, member.gold_seen, uniform)) return null;
  // A handful of rows (the project's gold, through prompts_gold); random order so no two labelers share a sequence.
  const row = yield* get<{ id: number }>(
    `SELECT p.id FROM prompts p WHERE p.project_id = ? AND p.gold IS NOT NULL AND p.excluded = 0 AND p.response_count = ?
       AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.prompt_id = p.id AND a.user_id = ?)
     ORDER BY random() LIMIT 1`,
    project.id, project.responsesPerPrompt, userId,
  );
  return row?.id ?? null;
}

/** After a lease on a project with gold: the running tally `pickGold` keeps the rate by. */
export function* countLease(project: Project, userId: number, gold: boolean): Sql<void> {
  if (project.goldPrompts === 0) return;
  yield* run('UPDATE project_members SET tasks_seen = tasks_seen + 1, gold_seen = gold_seen + ? WHERE project_id = ? AND user_id = ?', gold ? 1 : 0, project.id, userId);
}

/**
 * A labeler's gold answers that score: rankings (not excluded, not "not rankable") of prompts that were gold when they
 * were made, since the labeler's last lifted pause. `?` params: project id, then the labeler's id when `oneLabeler`.
 */
export const goldAnswersSql = (oneLabeler: boolean): string =>
  `SELECT r.user_id, r.tiers, p.gold FROM rankings r JOIN prompts p ON p.id = r.prompt_id
   JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
   WHERE r.project_id = ? ${oneLabeler ? 'AND r.user_id = ?' : ''} AND p.gold IS NOT NULL AND r.created_at >= p.gold_at
     AND r.created_at > m.gold_since AND r.excluded = 0 AND r.not_rankable = 0
   ORDER BY r.user_id, r.id`;

export type GoldAnswerRow = { user_id: number; tiers: string; gold: string };
export const toGoldAnswer = (r: GoldAnswerRow): GoldAnswer<number> => ({ ranking: JSON.parse(r.tiers) as number[][], gold: JSON.parse(r.gold) as number[][] });

/** Why a gold score pauses someone, in the words the ranking page and the dashboard show. */
export function pauseReason(score: GoldScore, project: Project): string {
  return `your rankings of checked prompts agree too little with their known order (mean tau-b ${score.meanTauB?.toFixed(2)} over ${score.tasks} checked task${score.tasks === 1 ? '' : 's'}; this project asks for at least ${project.goldMinTauB.toFixed(2)}); a lead of the project has to look at your work and lift the pause`;
}

/**
 * After a ranking of `promptId`: a gold answer rescored, and the labeler paused (audited) once the score falls below
 * the project's threshold. A step of the submit transaction, so the very next lease already sees the pause.
 */
export function* scoreGoldAnswer(project: Project, promptId: number, userId: number): Sql<void> {
  if (project.goldPrompts === 0) return;
  const prompt = yield* get<{ gold: string | null }>('SELECT gold FROM prompts WHERE id = ?', promptId);
  if (!prompt?.gold) return;
  const answers = (yield* all<GoldAnswerRow>(goldAnswersSql(true), project.id, userId)).map(toGoldAnswer);
  const score = goldScore(answers);
  if (!pausedByGold(score, project)) return;
  const reason = pauseReason(score, project);
  if ((yield* run('UPDATE project_members SET paused_reason = ? WHERE project_id = ? AND user_id = ? AND paused_reason IS NULL', reason, project.id, userId)) === 0) return;
  yield* auditLine(null, 'member.pause', memberTarget(project.id, userId), { by: 'gold', tasks: score.tasks, meanTauB: score.meanTauB, goldMinTauB: project.goldMinTauB });
}

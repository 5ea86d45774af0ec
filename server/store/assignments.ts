import { randomInt } from 'node:crypto';
import { all, get, last, together, write, type Engine, type Sql } from './engine/sql.ts';
import type { AssignmentView, Flag, LabelerCounter } from '../../shared/tasks.ts';
import type { Project } from '../../shared/projects.ts';
import { checkCriteriaRankings } from '../ranking/check-criteria-rankings.ts';
import { storedTiers } from './criteria-tiers.ts';
import { promptViewCache, type PromptViewCache } from './prompt-views.ts';
import { enqueueRankingEvents } from '../webhooks/outbox.ts';
import { countLease, memberState, pickGold, scoreGoldAnswer } from './gold-pool.ts';
import { grantAdaptivePlace } from './adaptive-pool.ts';

type AssignmentRow = {
  id: number;
  project_id: number;
  prompt_id: number;
  user_id: number;
  display_order: string;
  state: 'open' | 'submitted' | 'skipped' | 'expired';
  created_at: number;
  expires_at: number;
};

export type Submission = {
  ranking?: (string | number)[][] | undefined;
  /** One ranking per criterion key; `ranking` is the shorthand of a one-criterion project. */
  rankings?: Record<string, (string | number)[][]> | undefined;
  notRankable: boolean;
  flags: Record<string, Flag[]>;
  comment: string;
  durationMs?: number | undefined;
};

/** A labeler paused on the project (server/store/gold-pool.ts), and why. */
export type Paused = { paused: string };

/** What `tasks/next` finds for a labeler: a task, nothing left, a lead has excluded them, or they are paused. */
export type NextOutcome = AssignmentView | null | 'excluded' | Paused;

export const excludedMessage = 'a lead has excluded you from this project: your rankings here no longer count and no new tasks are given to you';

export type SubmitOutcome =
  | { ok: true; status: 200 | 201; rankingId: number }
  | { ok: false; status: 400 | 403 | 404 | 409; code: string; message: string };

// The prompts this labeler may still get: room left (places net of extra ones a lead or adaptive overlap granted), all
// K responses, not gold (gold prompts hold no places: server/store/gold-pool.ts hands them out), and none of this
// labeler's counting assignments on it.
const poolWhere = `p.project_id = ? AND p.excluded = 0 AND p.gold IS NULL AND (p.taken - p.extra_labelers) < ? AND p.response_count = ?
       AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.prompt_id = p.id AND a.user_id = ? AND a.state IN ('open', 'submitted', 'skipped'))`;
const poolParams = (project: Project, user: number) => [project.id, project.labelersPerPrompt, project.responsesPerPrompt, user] as const;

function shuffled<T>(items: T[]): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/**
 * What counts as "the same payload" for an idempotent resubmit: the judgement (every criterion's ranking), not the
 * stopwatch. A one-criterion payload is the same text as before criteria existed, so those resubmits still compare.
 */
function canonicalPayload(s: Submission, tiers: number[][], criteriaTiers: string | null): string {
  const flags = Object.keys(s.flags)
    .sort()
    .map((k) => [k, [...new Set(s.flags[k])].sort()]);
  const judgement = criteriaTiers === null ? { tiers } : { tiers, criteria: criteriaTiers };
  return JSON.stringify({ ...judgement, notRankable: s.notRankable, flags, comment: s.comment.trim() });
}

const notFound = (assignmentId: number): SubmitOutcome => ({ ok: false, status: 404, code: 'not_found', message: `assignment ${assignmentId} does not exist` });
const notYours: SubmitOutcome = { ok: false, status: 403, code: 'not_your_assignment', message: 'this assignment belongs to another labeler' };

const release = (promptId: number): Sql<void> => write('UPDATE prompts SET taken = taken - 1 WHERE id = ?', promptId);
const setState = (id: number, state: string, now: number, reason: string | null): Sql<void> =>
  write('UPDATE assignments SET state = ?, finished_at = ?, skip_reason = coalesce(?, skip_reason) WHERE id = ?', state, now, reason, id);
const openFor = (projectId: number, userId: number): Sql<AssignmentRow | undefined> =>
  get<AssignmentRow>("SELECT * FROM assignments WHERE project_id = ? AND user_id = ? AND state = 'open'", projectId, userId);
// Locked on Postgres, so a submit, a skip and an expiry of one assignment on different servers happen one after another.
const lockedById = (id: number): Sql<AssignmentRow | undefined> => get<AssignmentRow>('SELECT * FROM assignments WHERE id = ? FOR UPDATE', id);

const isExcluded = function* (projectId: number, userId: number): Sql<boolean> {
  return (yield* memberState(projectId, userId))?.excluded === 1;
};

/** Expires due leases; the state check makes two servers expiring one lease release it once. Their places go back with `release`. */
const expireDue = (projectId: number, now: number): Sql<{ prompt_id: number }[]> =>
  all<{ prompt_id: number }>(
    "UPDATE assignments SET state = 'expired', finished_at = ? WHERE project_id = ? AND state = 'open' AND expires_at <= ? RETURNING prompt_id",
    now, projectId, now,
  );

// Closest to completion first, so finished prompts (and exportable pairs) accumulate steadily. On Postgres the
// prompt row stays locked until commit and concurrent leases skip it, so no prompt gets more than its places;
// SQLite's write lock already serialises leases. NO KEY UPDATE, the lock the `taken` bump takes anyway: a plain
// FOR UPDATE would also block the foreign-key checks (KEY SHARE) of every ranking and lease inserted for this prompt
// meanwhile.
const pickFromPool = (project: Project, userId: number): Sql<{ id: number } | undefined> =>
  get<{ id: number }>(
    `SELECT p.id FROM prompts p WHERE ${poolWhere}
     ORDER BY (p.taken - p.extra_labelers) DESC, p.id LIMIT 1 FOR NO KEY UPDATE OF p SKIP LOCKED`,
    ...poolParams(project, userId),
  );

/** Expires due leases, then returns the labeler's open task or leases a new one; part of a write transaction. */
function* leaseNext(project: Project, userId: number, now: number, prompts: PromptViewCache): Sql<AssignmentRow | null | 'excluded' | Paused> {
  // What decides the lease, in one round trip on Postgres (see `together`): the member (an excluded labeler would
  // otherwise take places whose rankings never count), due leases expired, the open task, and on a project without
  // gold (whose pick needs the member's tally) the pool's pick too. A pick that turns out unneeded only held its row
  // until commit; one made before expired places went back is made again after.
  const early = project.goldPrompts === 0;
  const [member, due, open, earlyPick] = yield* together(
    memberState(project.id, userId),
    expireDue(project.id, now),
    openFor(project.id, userId),
    ...(early ? [pickFromPool(project, userId)] : []),
  );
  for (const a of due) yield* release(a.prompt_id);
  if (member?.excluded === 1) return 'excluded';
  if (member?.paused_reason) return { paused: member.paused_reason };
  if (open) return open;
  // A gold prompt now and then (none and no statement on projects without gold); otherwise the pool's pick.
  const gold = yield* pickGold(project, userId, member);
  const picked = gold !== null ? { id: gold } : early && due.length === 0 ? earlyPick : yield* pickFromPool(project, userId);
  if (!picked) return null;
  // The response ids come with the prompt's view, which the task shows next (cached: prompts never change).
  const order = shuffled(yield* prompts.responseIds(picked.id, project.responsesPerPrompt));
  const expiresAt = now + project.leaseMinutes * 60_000;
  yield* write('UPDATE prompts SET taken = taken + 1 WHERE id = ?', picked.id);
  yield* countLease(project, userId, gold !== null);
  // A lease ends its transaction (every caller returns right after), so on Postgres COMMIT travels with the insert.
  const inserted = yield* last(get<{ id: number }>(
    "INSERT INTO assignments (project_id, prompt_id, user_id, display_order, state, created_at, expires_at) VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id",
    project.id, picked.id, userId, JSON.stringify(order), now, expiresAt,
  ));
  if (!inserted) throw new Error('assignment insert returned nothing');
  return { id: inserted.id, project_id: project.id, prompt_id: picked.id, user_id: userId, display_order: JSON.stringify(order), state: 'open', created_at: now, expires_at: expiresAt };
}

/** Checks and stores one submission; part of a write transaction. */
function* record(project: Project, assignmentId: number, userId: number, s: Submission, now: number): Sql<SubmitOutcome> {
  const a = yield* lockedById(assignmentId);
  if (!a || a.project_id !== project.id) return notFound(assignmentId);
  if (a.user_id !== userId) return notYours;
  const order = JSON.parse(a.display_order) as number[];
  const checked = checkCriteriaRankings(project.criteria, s, order, project.allowTies);
  if (!checked.ok) return { ok: false, status: 400, code: checked.code, message: checked.message };
  const badFlag = Object.keys(s.flags).find((k) => !order.includes(Number(k)));
  if (badFlag !== undefined) return { ok: false, status: 400, code: 'invalid_flags', message: `flags name response ${badFlag}, which is not in this task` };
  const { tiers, criteriaTiers } = storedTiers(checked.byCriterion);
  const payload = canonicalPayload(s, tiers, criteriaTiers);
  if (a.state === 'submitted') {
    const prior = yield* get<{ id: number; payload: string }>('SELECT id, payload FROM rankings WHERE assignment_id = ?', a.id);
    if (prior && prior.payload === payload) return { ok: true, status: 200, rankingId: prior.id };
    return { ok: false, status: 409, code: 'already_submitted', message: 'this assignment was already submitted with a different ranking' };
  }
  if (a.state === 'skipped') return { ok: false, status: 409, code: 'assignment_skipped', message: 'this assignment was skipped and can no longer be submitted' };
  if (a.state === 'expired' || a.expires_at <= now) {
    if (a.state === 'open') {
      yield* setState(a.id, 'expired', now, null);
      yield* release(a.prompt_id);
    }
    // Excluding a labeler ends their open task; say why rather than blame the clock.
    if (yield* isExcluded(project.id, userId)) return { ok: false, status: 403, code: 'excluded', message: excludedMessage };
    return { ok: false, status: 409, code: 'assignment_expired', message: `the lease on this task ran out at ${new Date(a.expires_at).toISOString()}; ask for the next task` };
  }
  const r = yield* get<{ id: number }>(
    `INSERT INTO rankings (assignment_id, project_id, prompt_id, user_id, tiers, criteria_tiers, payload, not_rankable, flags, comment, duration_ms, shown_first, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    a.id, project.id, a.prompt_id, userId, JSON.stringify(tiers), criteriaTiers, payload, s.notRankable ? 1 : 0,
    JSON.stringify(s.flags), s.comment.trim(), s.durationMs ?? null, order[0] ?? null, now,
  );
  if (!r) throw new Error('ranking insert returned nothing');
  yield* setState(a.id, 'submitted', now, null);
  // A lease becomes a ranking: the place stays taken and is now a kept one (an excluded labeler holds no lease to submit).
  yield* write('UPDATE prompts SET submitted = submitted + 1, kept = kept + 1 WHERE id = ?', a.prompt_id);
  // Webhook events commit with the ranking (server/webhooks/outbox.ts); after the `kept` bump, which prompt.completed reads.
  yield* enqueueRankingEvents(project, { rankingId: r.id, assignmentId: a.id, promptId: a.prompt_id, labelerId: userId, notRankable: s.notRankable, ranking: tiers }, now);
  // The quality loop: a gold answer may pause its labeler, a disputed prompt may get one more place.
  yield* scoreGoldAnswer(project, a.prompt_id, userId);
  yield* grantAdaptivePlace(project, a.prompt_id);
  return { ok: true, status: 201, rankingId: r.id };
}

function* view(a: AssignmentRow, project: Project, prompts: PromptViewCache): Sql<AssignmentView> {
  const order = JSON.parse(a.display_order) as number[];
  const p = yield* prompts.view(a.prompt_id, order);
  if (!p) throw new Error(`assignment ${a.id} points at a missing prompt`);
  return {
    id: a.id,
    expiresAt: new Date(a.expires_at).toISOString(),
    prompt: p.prompt,
    responses: order.map((id) => ({ id, text: p.texts.get(id) ?? '' })),
    allowTies: project.allowTies,
    criteria: project.criteria,
  };
}

function* nextView(project: Project, userId: number, now: number, prompts: PromptViewCache): Sql<NextOutcome> {
  const row = yield* leaseNext(project, userId, now, prompts);
  return row === 'excluded' || row === null || 'paused' in row ? row : yield* view(row, project, prompts);
}

/** The labeling loop. Its writes go through `engine.batched`, so on SQLite concurrent labelers share commits. */
export function assignmentsStore(engine: Engine) {
  const prompts = promptViewCache();
  return {
    /** Pick and lease in one write transaction, so concurrent callers can never put more than R labelers on a prompt. */
    next(project: Project, userId: number, now = Date.now()): Promise<NextOutcome> {
      return engine.batched(() => nextView(project, userId, now, prompts));
    },

    submit(project: Project, assignmentId: number, userId: number, s: Submission, now = Date.now()): Promise<SubmitOutcome> {
      return engine.batched(() => record(project, assignmentId, userId, s, now));
    },

    /** Submit and lease the next task in one transaction: one commit per task for the ranking page. */
    submitAndNext(project: Project, assignmentId: number, userId: number, s: Submission, now = Date.now()): Promise<{ outcome: SubmitOutcome; next: AssignmentView | null }> {
      return engine.batched(function* () {
        const outcome = yield* record(project, assignmentId, userId, s, now);
        const next = outcome.ok ? yield* nextView(project, userId, now, prompts) : null;
        return { outcome, next: next === 'excluded' || (next !== null && 'paused' in next) ? null : next };
      });
    },

    skip(project: Project, assignmentId: number, userId: number, reason: string, now = Date.now()): Promise<SubmitOutcome> {
      return engine.transaction(function* (): Sql<SubmitOutcome> {
        const a = yield* lockedById(assignmentId);
        if (!a || a.project_id !== project.id) return notFound(assignmentId);
        if (a.user_id !== userId) return notYours;
        if (a.state === 'skipped') return { ok: true, status: 200, rankingId: 0 };
        if (a.state !== 'open') return { ok: false, status: 409, code: `assignment_${a.state}`, message: `this assignment is ${a.state} and cannot be skipped` };
        yield* setState(a.id, 'skipped', now, reason);
        yield* release(a.prompt_id);
        return { ok: true, status: 201, rankingId: 0 };
      });
    },

    counter(project: Project, userId: number, now = Date.now()): Promise<LabelerCounter> {
      const dayStart = new Date(now);
      dayStart.setHours(0, 0, 0, 0);
      const doneSince = (since: number) =>
        get<{ n: number }>("SELECT count(*) AS n FROM assignments WHERE project_id = ? AND user_id = ? AND state = 'submitted' AND finished_at >= ?", project.id, userId, since);
      return engine.read(
        (function* () {
          const done = (yield* doneSince(0))?.n ?? 0;
          const doneToday = (yield* doneSince(dayStart.getTime()))?.n ?? 0;
          const member = yield* memberState(project.id, userId);
          if (member?.excluded === 1 || member?.paused_reason) return { doneToday, done, left: 0 };
          const open = (yield* openFor(project.id, userId)) ? 1 : 0;
          const available = (yield* get<{ n: number }>(`SELECT count(*) AS n FROM prompts p WHERE ${poolWhere}`, ...poolParams(project, userId)))?.n ?? 0;
          return { doneToday, done, left: available + open };
        })(),
      );
    },
  };
}

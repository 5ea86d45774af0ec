import { randomInt } from 'node:crypto';
import type { Db } from './db.ts';
import type { AssignmentView, Flag, LabelerCounter } from '../../shared/tasks.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import type { Project } from '../../shared/projects.ts';
import { checkRanking } from '../ranking/check-ranking.ts';

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
  notRankable: boolean;
  flags: Record<string, Flag[]>;
  comment: string;
  durationMs?: number | undefined;
};

/** What `tasks/next` finds for a labeler: a task, nothing left, or a lead has excluded them from the project. */
export type NextOutcome = AssignmentView | null | 'excluded';

export const excludedMessage = 'a lead has excluded you from this project: your rankings here no longer count and no new tasks are given to you';

export type SubmitOutcome =
  | { ok: true; status: 200 | 201; rankingId: number }
  | { ok: false; status: 400 | 403 | 404 | 409; code: string; message: string };

type PoolParams = { project: number; k: number; r: number; user: number };
const poolParams = (project: Project, user: number): PoolParams => ({ project: project.id, k: project.responsesPerPrompt, r: project.labelersPerPrompt, user });

function shuffled<T>(items: T[]): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/** What counts as "the same payload" for an idempotent resubmit: the judgement, not the stopwatch. */
function canonicalPayload(s: Submission, tiers: number[][]): string {
  const flags = Object.keys(s.flags)
    .sort()
    .map((k) => [k, [...new Set(s.flags[k])].sort()]);
  return JSON.stringify({ tiers, notRankable: s.notRankable, flags, comment: s.comment.trim() });
}

export function assignmentsStore(db: Db) {
  const dueToExpire = db.prepare<[number, number], { id: number; prompt_id: number }>(
    "SELECT id, prompt_id FROM assignments WHERE project_id = ? AND state = 'open' AND expires_at <= ?",
  );
  const setState = db.prepare<[string, number, string | null, number]>('UPDATE assignments SET state = ?, finished_at = ?, skip_reason = coalesce(?, skip_reason) WHERE id = ?');
  const release = db.prepare<[number]>('UPDATE prompts SET taken = taken - 1 WHERE id = ?');
  const take = db.prepare<[number]>('UPDATE prompts SET taken = taken + 1 WHERE id = ?');
  // A lease becomes a ranking: the place stays taken and is now a kept one (an excluded labeler holds no lease to submit).
  const markSubmitted = db.prepare<[number]>('UPDATE prompts SET submitted = submitted + 1, kept = kept + 1 WHERE id = ?');
  const memberExcluded = db.prepare<[number, number], { excluded: number }>('SELECT excluded FROM project_members WHERE project_id = ? AND user_id = ?');
  const openFor = db.prepare<[number, number], AssignmentRow>("SELECT * FROM assignments WHERE project_id = ? AND user_id = ? AND state = 'open'");
  const byId = db.prepare<[number], AssignmentRow>('SELECT * FROM assignments WHERE id = ?');
  // Closest to completion first, so finished prompts (and exportable pairs) accumulate steadily.
  const pick = db.prepare<[PoolParams], { id: number }>(
    `SELECT p.id FROM prompts p
     WHERE p.project_id = @project AND p.excluded = 0 AND (p.taken - p.extra_labelers) < @r AND p.response_count = @k
       AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.prompt_id = p.id AND a.user_id = @user AND a.state IN ('open', 'submitted', 'skipped'))
     ORDER BY (p.taken - p.extra_labelers) DESC, p.id LIMIT 1`,
  );
  const responseIds = db.prepare<[number], { id: number }>('SELECT id FROM responses WHERE prompt_id = ? ORDER BY id');
  const insert = db.prepare<[number, number, number, string, number, number], { id: number }>(
    "INSERT INTO assignments (project_id, prompt_id, user_id, display_order, state, created_at, expires_at) VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id",
  );
  const promptRow = db.prepare<[number], { id: number; external_id: string; messages: string; metadata: string }>(
    'SELECT id, external_id, messages, metadata FROM prompts WHERE id = ?',
  );
  const responseTexts = db.prepare<[number], { id: number; text: string }>('SELECT id, text FROM responses WHERE prompt_id = ?');
  const rankingFor = db.prepare<[number], { id: number; payload: string }>('SELECT id, payload FROM rankings WHERE assignment_id = ?');
  const insertRanking = db.prepare<[number, number, number, number, string, string, number, string, string, number | null, number | null, number], { id: number }>(
    `INSERT INTO rankings (assignment_id, project_id, prompt_id, user_id, tiers, payload, not_rankable, flags, comment, duration_ms, shown_first, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  const doneSince = db.prepare<[number, number, number], { n: number }>(
    "SELECT count(*) AS n FROM assignments WHERE project_id = ? AND user_id = ? AND state = 'submitted' AND finished_at >= ?",
  );
  const available = db.prepare<[PoolParams], { n: number }>(
    `SELECT count(*) AS n FROM prompts p
     WHERE p.project_id = @project AND p.excluded = 0 AND (p.taken - p.extra_labelers) < @r AND p.response_count = @k
       AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.prompt_id = p.id AND a.user_id = @user AND a.state IN ('open', 'submitted', 'skipped'))`,
  );

  function expireDue(projectId: number, now: number): void {
    for (const a of dueToExpire.all(projectId, now)) {
      setState.run('expired', now, null, a.id);
      release.run(a.prompt_id);
    }
  }

  const isExcluded = (projectId: number, userId: number) => memberExcluded.get(projectId, userId)?.excluded === 1;

  /** Expires due leases, then returns the labeler's open task or leases a new one; call inside an immediate transaction. */
  function leaseNext(project: Project, userId: number, now: number): AssignmentRow | null | 'excluded' {
    // One primary-key probe: an excluded labeler would otherwise take places whose rankings never count.
    if (isExcluded(project.id, userId)) return 'excluded';
    expireDue(project.id, now);
    const open = openFor.get(project.id, userId);
    if (open) return open;
    const picked = pick.get(poolParams(project, userId));
    if (!picked) return null;
    const order = shuffled(responseIds.all(picked.id).map((r) => r.id));
    const expiresAt = now + project.leaseMinutes * 60_000;
    const inserted = insert.get(project.id, picked.id, userId, JSON.stringify(order), now, expiresAt);
    if (!inserted) throw new Error('assignment insert returned nothing');
    take.run(picked.id);
    return { id: inserted.id, project_id: project.id, prompt_id: picked.id, user_id: userId, display_order: JSON.stringify(order), state: 'open', created_at: now, expires_at: expiresAt };
  }

  /** Checks and stores one submission; call inside an immediate transaction. */
  function record(project: Project, assignmentId: number, userId: number, s: Submission, now: number): SubmitOutcome {
    const a = byId.get(assignmentId);
    if (!a || a.project_id !== project.id) return { ok: false, status: 404, code: 'not_found', message: `assignment ${assignmentId} does not exist` };
    if (a.user_id !== userId) return { ok: false, status: 403, code: 'not_your_assignment', message: 'this assignment belongs to another labeler' };
    const order = JSON.parse(a.display_order) as number[];
    const checked = s.notRankable && s.ranking === undefined ? { ok: true as const, tiers: [] as number[][] } : checkRanking(s.ranking ?? [], order, project.allowTies);
    if (!checked.ok) return { ok: false, status: 400, code: 'invalid_ranking', message: checked.message };
    const badFlag = Object.keys(s.flags).find((k) => !order.includes(Number(k)));
    if (badFlag !== undefined) return { ok: false, status: 400, code: 'invalid_flags', message: `flags name response ${badFlag}, which is not in this task` };
    const payload = canonicalPayload(s, checked.tiers);
    if (a.state === 'submitted') {
      const prior = rankingFor.get(a.id);
      if (prior && prior.payload === payload) return { ok: true, status: 200, rankingId: prior.id };
      return { ok: false, status: 409, code: 'already_submitted', message: 'this assignment was already submitted with a different ranking' };
    }
    if (a.state === 'skipped') return { ok: false, status: 409, code: 'assignment_skipped', message: 'this assignment was skipped and can no longer be submitted' };
    if (a.state === 'expired' || a.expires_at <= now) {
      if (a.state === 'open') {
        setState.run('expired', now, null, a.id);
        release.run(a.prompt_id);
      }
      // Excluding a labeler ends their open task; say why rather than blame the clock.
      if (isExcluded(project.id, userId)) return { ok: false, status: 403, code: 'excluded', message: excludedMessage };
      return { ok: false, status: 409, code: 'assignment_expired', message: `the lease on this task ran out at ${new Date(a.expires_at).toISOString()}; ask for the next task` };
    }
    const r = insertRanking.get(
      a.id, project.id, a.prompt_id, userId, JSON.stringify(checked.tiers), payload, s.notRankable ? 1 : 0,
      JSON.stringify(s.flags), s.comment.trim(), s.durationMs ?? null, order[0] ?? null, now,
    );
    if (!r) throw new Error('ranking insert returned nothing');
    setState.run('submitted', now, null, a.id);
    markSubmitted.run(a.prompt_id);
    return { ok: true, status: 201, rankingId: r.id };
  }

  function view(a: AssignmentRow, allowTies: boolean): AssignmentView {
    const p = promptRow.get(a.prompt_id);
    if (!p) throw new Error(`assignment ${a.id} points at a missing prompt`);
    const texts = new Map(responseTexts.all(a.prompt_id).map((r) => [r.id, r.text]));
    const order = JSON.parse(a.display_order) as number[];
    return {
      id: a.id,
      expiresAt: new Date(a.expires_at).toISOString(),
      prompt: { id: p.id, externalId: p.external_id, messages: JSON.parse(p.messages) as ChatMessage[], metadata: JSON.parse(p.metadata) as Record<string, unknown> },
      responses: order.map((id) => ({ id, text: texts.get(id) ?? '' })),
      allowTies,
    };
  }

  // Transaction wrappers are built once: better-sqlite3 compiles a new one on every db.transaction() call.
  const leaseTx = db.transaction(leaseNext);
  const recordTx = db.transaction(record);
  const recordAndLeaseTx = db.transaction((project: Project, assignmentId: number, userId: number, s: Submission, now: number) => {
    const outcome = record(project, assignmentId, userId, s, now);
    return { outcome, row: outcome.ok ? leaseNext(project, userId, now) : null };
  });

  return {
    /** Pick and lease in one immediate transaction, so concurrent callers can never put more than R labelers on a prompt. */
    next(project: Project, userId: number, now = Date.now()): NextOutcome {
      const row = leaseTx.immediate(project, userId, now);
      return row === 'excluded' || row === null ? row : view(row, project.allowTies);
    },

    submit(project: Project, assignmentId: number, userId: number, s: Submission, now = Date.now()): SubmitOutcome {
      return recordTx.immediate(project, assignmentId, userId, s, now);
    },

    /** Submit and lease the next task in one transaction: one commit per task for the ranking page. */
    submitAndNext(project: Project, assignmentId: number, userId: number, s: Submission, now = Date.now()): { outcome: SubmitOutcome; next: AssignmentView | null } {
      const { outcome, row } = recordAndLeaseTx.immediate(project, assignmentId, userId, s, now);
      return { outcome, next: row && row !== 'excluded' ? view(row, project.allowTies) : null };
    },

    skip(project: Project, assignmentId: number, userId: number, reason: string, now = Date.now()): SubmitOutcome {
      return db
        .transaction((): SubmitOutcome => {
          const a = byId.get(assignmentId);
          if (!a || a.project_id !== project.id) return { ok: false, status: 404, code: 'not_found', message: `assignment ${assignmentId} does not exist` };
          if (a.user_id !== userId) return { ok: false, status: 403, code: 'not_your_assignment', message: 'this assignment belongs to another labeler' };
          if (a.state === 'skipped') return { ok: true, status: 200, rankingId: 0 };
          if (a.state !== 'open') return { ok: false, status: 409, code: `assignment_${a.state}`, message: `this assignment is ${a.state} and cannot be skipped` };
          setState.run('skipped', now, reason, a.id);
          release.run(a.prompt_id);
          return { ok: true, status: 201, rankingId: 0 };
        })
        .immediate();
    },

    counter(project: Project, userId: number, now = Date.now()): LabelerCounter {
      const dayStart = new Date(now);
      dayStart.setHours(0, 0, 0, 0);
      const done = doneSince.get(project.id, userId, 0)?.n ?? 0;
      const open = openFor.get(project.id, userId) ? 1 : 0;
      return {
        doneToday: doneSince.get(project.id, userId, dayStart.getTime())?.n ?? 0,
        done,
        left: isExcluded(project.id, userId) ? 0 : (available.get(poolParams(project, userId))?.n ?? 0) + open,
      };
    },
  };
}

import type { Flag } from '../../../../shared/tasks.ts';
import type { CriterionRankingsState } from './criterion-rankings.ts';
import { flagOrder, type FlagMap } from './submission.ts';

/** One criterion's order as the labeler left it. */
export type DraftRanking = { order: number[]; tied: boolean[]; acted: boolean; confirmed: boolean };

/**
 * What a labeler has done on a task and not yet submitted. It lives in the browser's localStorage under the
 * assignment's id, so a reload, a crashed tab or a closed laptop gives the same task back as they left it (the server
 * hands an open assignment back to its labeler until its lease runs out).
 */
export type TaskDraft = {
  /** One per criterion of the task, in its order. */
  rankings: DraftRanking[];
  /** The criterion that was on screen. */
  active: number;
  flags: FlagMap;
  notRankable: boolean;
  comment: string;
  /** Time on task already spent before the page went away. */
  elapsedMs: number;
  savedAt: number;
};

/** As stored: rankings under their criterion's key, so a draft never lands on another criterion. */
type StoredDraft = Omit<TaskDraft, 'rankings' | 'active'> & { criteria: Record<string, DraftRanking>; active: string };

const prefix = 'podium.draft.';
// Leases last 30 minutes by default; a day covers a longer lease without letting dead drafts pile up.
const keepMs = 24 * 60 * 60 * 1000;

const keyOf = (assignmentId: number) => `${prefix}${assignmentId}`;

// Saved within the last day; a time ahead of the clock (the clock was moved back) would never age out otherwise.
const isFresh = (savedAt: unknown, now: number): savedAt is number => typeof savedAt === 'number' && savedAt <= now + 60_000 && now - savedAt <= keepMs;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage can be switched off; the page then works as before, without drafts.
    return null;
  }
}

function parseRanking(value: unknown, responseIds: readonly number[], allowTies: boolean): DraftRanking | null {
  if (typeof value !== 'object' || value === null) return null;
  const { order, tied, acted, confirmed } = value as Partial<Record<keyof DraftRanking, unknown>>;
  if (!Array.isArray(order) || !Array.isArray(tied) || order.length !== responseIds.length || tied.length !== order.length) return null;
  if (new Set(order).size !== order.length || !order.every((id) => responseIds.includes(id as number))) return null;
  if (!tied.every((t, i) => typeof t === 'boolean' && (i > 0 || !t) && (allowTies || !t))) return null;
  if ((acted !== undefined && typeof acted !== 'boolean') || (confirmed !== undefined && typeof confirmed !== 'boolean')) return null;
  // Drafts saved before `acted` was kept say so by an order or a tie that differs from the one shown.
  const moved = (tied as boolean[]).some(Boolean) || order.some((id, i) => id !== responseIds[i]);
  return { order: order as number[], tied: tied as boolean[], acted: acted ?? moved, confirmed: confirmed ?? false };
}

/**
 * Reads a stored draft back only if it still fits the task: the same responses, each once, ties only where the
 * project allows them, and only the task's criteria. Anything else (an edited project, a hand-made value) is ignored
 * rather than trusted. A criterion the draft does not mention starts as shown; a draft from before criteria existed
 * (one order, no keys) is the first criterion's.
 */
export function parseDraft(raw: string | null, responseIds: readonly number[], allowTies: boolean, criterionKeys: readonly string[], now: number): TaskDraft | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const d = value as Partial<Record<keyof StoredDraft | 'order', unknown>>;
  const { flags, notRankable, comment, elapsedMs, savedAt } = d;
  if (typeof notRankable !== 'boolean' || typeof comment !== 'string' || typeof elapsedMs !== 'number' || !(elapsedMs >= 0)) return null;
  if (!isFresh(savedAt, now)) return null;
  if (typeof flags !== 'object' || flags === null) return null;
  const cleanFlags: Record<number, readonly Flag[]> = {};
  for (const [id, list] of Object.entries(flags)) {
    if (!responseIds.includes(Number(id)) || !Array.isArray(list)) return null;
    const kept = flagOrder.filter((f) => list.includes(f));
    if (kept.length) cleanFlags[Number(id)] = kept;
  }
  const stored: Record<string, unknown> =
    d.order !== undefined ? { [criterionKeys[0] ?? '']: value } : typeof d.criteria === 'object' && d.criteria !== null ? (d.criteria as Record<string, unknown>) : {};
  if (Object.keys(stored).length === 0 || !Object.keys(stored).every((key) => criterionKeys.includes(key))) return null;
  const rankings: DraftRanking[] = [];
  for (const key of criterionKeys) {
    const ranking = key in stored ? parseRanking(stored[key], responseIds, allowTies) : { order: [...responseIds], tied: responseIds.map(() => false), acted: false, confirmed: false };
    if (!ranking) return null;
    rankings.push(ranking);
  }
  const active = typeof d.active === 'string' ? Math.max(0, criterionKeys.indexOf(d.active)) : 0;
  return { rankings, active, flags: cleanFlags, notRankable, comment, elapsedMs, savedAt };
}

export function loadDraft(assignmentId: number, responseIds: readonly number[], allowTies: boolean, criterionKeys: readonly string[]): TaskDraft | null {
  const s = storage();
  if (!s) return null;
  pruneDrafts(s, Date.now());
  return parseDraft(s.getItem(keyOf(assignmentId)), responseIds, allowTies, criterionKeys, Date.now());
}

export function saveDraft(
  assignmentId: number,
  work: CriterionRankingsState,
  criterionKeys: readonly string[],
  rest: Omit<TaskDraft, 'rankings' | 'active' | 'savedAt'>,
): void {
  const criteria: Record<string, DraftRanking> = {};
  criterionKeys.forEach((key, i) => {
    const w = work.works[i];
    if (w) criteria[key] = { order: [...w.ranking.order], tied: [...w.ranking.tied], acted: w.acted, confirmed: w.confirmed };
  });
  const draft: StoredDraft = { criteria, active: criterionKeys[work.active] ?? '', ...rest, savedAt: Date.now() };
  try {
    storage()?.setItem(keyOf(assignmentId), JSON.stringify(draft));
  } catch {
    // A full or blocked storage costs the draft, never the task.
  }
}

export function dropDraft(assignmentId: number): void {
  storage()?.removeItem(keyOf(assignmentId));
}

/** Drafts of tasks that were submitted elsewhere or whose lease ran out would otherwise stay forever. */
function pruneDrafts(s: Storage, now: number): void {
  removeDrafts(s, (raw) => {
    try {
      const savedAt = (JSON.parse(raw ?? 'null') as { savedAt?: unknown } | null)?.savedAt;
      return !isFresh(savedAt, now);
    } catch {
      return true;
    }
  });
}

/** On logout: a comment half-written on a shared computer is not left behind for the next person at it. */
export function dropAllDrafts(): void {
  const s = storage();
  if (s) removeDrafts(s, () => true);
}

function removeDrafts(s: Storage, shouldRemove: (raw: string | null) => boolean): void {
  for (let i = s.length - 1; i >= 0; i--) {
    const key = s.key(i);
    if (key?.startsWith(prefix) && shouldRemove(s.getItem(key))) s.removeItem(key);
  }
}

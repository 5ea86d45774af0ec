import type { Flag } from '../../../../shared/tasks.ts';
import type { RankingState } from './ranking-state.ts';
import { flagOrder, type FlagMap } from './submission.ts';

/**
 * What a labeler has done on a task and not yet submitted. It lives in the browser's localStorage under the
 * assignment's id, so a reload, a crashed tab or a closed laptop gives the same task back as they left it (the server
 * hands an open assignment back to its labeler until its lease runs out).
 */
export type TaskDraft = {
  order: number[];
  tied: boolean[];
  flags: FlagMap;
  notRankable: boolean;
  comment: string;
  /** The labeler had moved, placed or tied a card; absent in drafts saved before this was kept. */
  acted?: boolean;
  /** Time on task already spent before the page went away. */
  elapsedMs: number;
  savedAt: number;
};

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

/**
 * Reads a stored draft back only if it still fits the task: the same responses, each once, and ties only where the
 * project allows them. Anything else (an edited project, a hand-made value) is ignored rather than trusted.
 */
export function parseDraft(raw: string | null, responseIds: readonly number[], allowTies: boolean, now: number): TaskDraft | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const d = value as Partial<Record<keyof TaskDraft, unknown>>;
  const { order, tied, flags, notRankable, comment, acted, elapsedMs, savedAt } = d;
  if (!Array.isArray(order) || !Array.isArray(tied) || order.length !== responseIds.length || tied.length !== order.length) return null;
  if (new Set(order).size !== order.length || !order.every((id) => responseIds.includes(id as number))) return null;
  if (!tied.every((t, i) => typeof t === 'boolean' && (i > 0 || !t) && (allowTies || !t))) return null;
  if (typeof notRankable !== 'boolean' || typeof comment !== 'string' || typeof elapsedMs !== 'number' || !(elapsedMs >= 0)) return null;
  if (acted !== undefined && typeof acted !== 'boolean') return null;
  if (!isFresh(savedAt, now)) return null;
  if (typeof flags !== 'object' || flags === null) return null;
  const cleanFlags: Record<number, readonly Flag[]> = {};
  for (const [id, list] of Object.entries(flags)) {
    if (!responseIds.includes(Number(id)) || !Array.isArray(list)) return null;
    const kept = flagOrder.filter((f) => list.includes(f));
    if (kept.length) cleanFlags[Number(id)] = kept;
  }
  return { order: order as number[], tied: tied as boolean[], flags: cleanFlags, notRankable, comment, ...(acted === undefined ? {} : { acted }), elapsedMs, savedAt };
}

export function loadDraft(assignmentId: number, responseIds: readonly number[], allowTies: boolean): TaskDraft | null {
  const s = storage();
  if (!s) return null;
  pruneDrafts(s, Date.now());
  return parseDraft(s.getItem(keyOf(assignmentId)), responseIds, allowTies, Date.now());
}

export function saveDraft(assignmentId: number, ranking: RankingState, rest: Omit<TaskDraft, 'order' | 'tied' | 'savedAt'>): void {
  const draft: TaskDraft = { order: [...ranking.order], tied: [...ranking.tied], ...rest, savedAt: Date.now() };
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

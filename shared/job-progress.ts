// Zod-free on purpose: the client imports these at run time, and zod would add ~24 KB to its bundle.

export const jobStatuses = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const isFinished = (s: JobStatus) => s === 'done' || s === 'failed' || s === 'cancelled';

/** Rate over what was seen since the first observation, and the time left at that rate (null until there is a rate). */
export function progressRate(first: { at: number; done: number }, now: { at: number; done: number }, remaining: number): { perSecond: number | null; etaSeconds: number | null } {
  const seconds = (now.at - first.at) / 1000;
  const gained = now.done - first.done;
  if (seconds <= 0.5 || gained <= 0) return { perSecond: null, etaSeconds: null };
  const perSecond = gained / seconds;
  return { perSecond, etaSeconds: remaining / perSecond };
}

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This run of this process, as written in `generation_jobs.owner`. The random part matters: a restarted
 * container is often pid 1 again on the same hostname, and a pid can be reused, so host and pid alone would
 * let a new process believe it already holds a dead one's lease.
 */
export const leaseOwner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** A job whose owner has not renewed it for this long is taken over (decision 007). */
export const defaultLeaseMs = 15_000;

/**
 * `leaseMs`: how old a heartbeat may get before anyone takes the job over; the owner renews and every process
 * looks for stale jobs three times per lease, so one late renewal never loses it. `PODIUM_JOB_LEASE_MS` sets it.
 */
export type LeaseTiming = { leaseMs: number; renewMs: number };

export function leaseTiming(env: NodeJS.ProcessEnv = process.env): LeaseTiming {
  const text = env.PODIUM_JOB_LEASE_MS;
  const leaseMs = text === undefined || text === '' ? defaultLeaseMs : Number(text);
  if (!Number.isInteger(leaseMs) || leaseMs < 300 || leaseMs > 3_600_000) {
    throw new Error(`PODIUM_JOB_LEASE_MS must be a whole number of milliseconds from 300 to 3600000, not "${text}"`);
  }
  return { leaseMs, renewMs: Math.floor(leaseMs / 3) };
}

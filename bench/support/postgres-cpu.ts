import pg from 'pg';
import { readdirSync, writeFileSync } from 'node:fs';
import { processTimes } from './process-cpu.ts';

/**
 * CPU seconds used so far by one Postgres server: its postmaster and every process it started, the ones that have
 * exited included (their time is in the postmaster's cutime/cstime once reaped), so a difference of two readings is
 * the cluster's whole CPU in between: backends, WAL writer, checkpointer, autovacuum. Only on the same Linux host.
 */
export function clusterCpu(postmaster: number): number | null {
  const root = processTimes(postmaster);
  if (!root) return null;
  let ticks = root.self + root.children;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const t = processTimes(Number(name));
    if (t && t.ppid === postmaster) ticks += t.self;
  }
  return ticks / 100;
}

/** The postmaster behind `url`: the parent of the backend serving this connection, if that process is on this host. */
export async function postmasterOf(url: string): Promise<number | null> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const backend = Number((await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
    return processTimes(backend)?.ppid ?? null;
  } finally {
    await c.end();
  }
}

/**
 * BENCH_PG_STATS=FILE: the statements of one database during one phase, from pg_stat_statements (which the server must
 * preload, and `url`'s database must have as an extension): reset before, written to FILE after: a line with the phase's
 * CLOCK_MONOTONIC start and end, then one JSON object per statement, costliest first. Without the variable or the extension, `during` just runs the phase.
 */
export async function statementsDuring<T>(url: string, database: string, phase: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_PG_STATS;
  if (!file) return phase();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('SELECT pg_stat_statements_reset()');
    // CLOCK_MONOTONIC seconds, to cut a system profile to the phase (`perf record -k CLOCK_MONOTONIC`, `perf report --time`).
    const start = Number(process.hrtime.bigint()) / 1e9;
    const out = await phase();
    const end = Number(process.hrtime.bigint()) / 1e9;
    const rows = await c.query(
      `SELECT s.calls, round(s.total_exec_time::numeric, 1) AS exec_ms, round(s.total_plan_time::numeric, 1) AS plan_ms, s.plans,
              round((s.total_exec_time / nullif(s.calls, 0))::numeric * 1000) AS exec_us_per_call, s.rows, s.shared_blks_hit, s.shared_blks_read,
              s.shared_blks_dirtied, s.wal_records, s.wal_bytes, s.query
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 ORDER BY s.total_exec_time DESC`,
      [database],
    );
    writeFileSync(file, [{ phase: { start, end } }, ...rows.rows].map((r) => JSON.stringify(r)).join('\n') + '\n');
    return out;
  } finally {
    await c.end();
  }
}

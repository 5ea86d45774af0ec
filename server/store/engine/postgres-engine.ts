import pg from 'pg';
import { statements, type Engine, type Sql, type SqlValue, type Statement } from './sql.ts';

// pg hands back int8 (count(*), sum of integers, BIGINT ids and epoch-millisecond columns) and numeric
// (sum of int8, avg) as strings, because they may exceed 2^53. Podium's values never do, and the store
// must return the same JS numbers as SQLite does, so both parse to numbers. Per pool, not process-wide.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as typeof pg.types.getTypeParser,
};

/**
 * Portable SQL to Postgres, once per statement text: `?` placeholders become `$1…$n` (no query uses a
 * literal `?`), and SQLite's planner pins (`INDEXED BY name`) go, since Postgres plans by statistics.
 */
export function toPostgres(sql: string): string {
  let n = 0;
  return sql.replace(/\s+INDEXED\s+BY\s+\w+/gi, '').replace(/\?/g, () => `$${++n}`);
}

// Serialization failure and deadlock are Postgres telling a transaction to run again. A unique violation
// is retried too: two servers leasing a task for the same labeler at once both find none open, and the
// second insert waits for the first and then fails; run again, it finds the first one's task.
const retryable = new Set(['40001', '40P01', '23505']);
const maxAttempts = 4;

type Queryable = { query: (config: pg.QueryConfig<SqlValue[]>) => Promise<pg.QueryResult> };

export type PostgresEngine = Engine & { pool: pg.Pool };

/** Drives programs over a connection pool; a transaction keeps one connection from BEGIN to COMMIT. */
export function postgresEngine(url: string, options: { max?: number | undefined } = {}): PostgresEngine {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types, pipeline: true });
  // An idle connection the server drops (restart, failover) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const texts = new Map<string, string>();
  function text(sql: string): string {
    let t = texts.get(sql);
    if (t === undefined) {
      t = toPostgres(sql);
      texts.set(sql, t);
    }
    return t;
  }
  async function execute(on: Queryable, s: Statement): Promise<unknown> {
    // A named statement is parsed and planned once per connection, as SQLite prepares once per process.
    const config: pg.QueryConfig<SqlValue[]> = { text: text(s.sql), values: s.params as SqlValue[], name: `s${statementId(s.sql)}` };
    if (s.kind === 'values') (config as pg.QueryArrayConfig<SqlValue[]>).rowMode = 'array';
    const result = await on.query(config);
    switch (s.kind) {
      case 'get':
        return result.rows[0];
      case 'all':
      case 'values':
        return result.rows;
      case 'run':
        return result.rowCount ?? 0;
      case 'write':
        return undefined;
    }
  }
  const ids = new Map<string, number>();
  function statementId(sql: string): string {
    let id = ids.get(sql);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(sql, id);
    }
    return String(id);
  }
  /**
   * The statements a transaction has sent but not yet read the answers of. The pool's connections are in
   * pg's pipeline mode: a query is written at once and answered in order, so BEGIN, the program's `write`s
   * and COMMIT travel with the next statement whose answer the program waits for, instead of a round trip each.
   */
  type InFlight = { client: pg.PoolClient; sent: Promise<unknown>[]; unread: Promise<unknown>[]; corked: boolean; commit?: Promise<unknown> };
  // What is sent between two waits leaves in one socket write: each write to a local server wakes its backend,
  // which on a busy machine costs more than the statement does.
  function cork(flight: InFlight): void {
    if (flight.corked) return;
    flight.client.connection.stream.cork();
    flight.corked = true;
  }
  function uncork(flight: InFlight): void {
    if (!flight.corked) return;
    flight.corked = false;
    flight.client.connection.stream.uncork();
  }
  function send(s: Statement, flight: InFlight): Promise<unknown> {
    cork(flight);
    const p = execute(flight.client, s);
    flight.sent.push(p.catch(() => undefined));
    return p;
  }
  /** Waits for the unread answers, then `current`'s; the first failure in send order is the one thrown. */
  async function answer(flight: InFlight, current: Promise<unknown>): Promise<unknown> {
    uncork(flight);
    const unread = flight.unread;
    flight.unread = [];
    for (const p of unread) {
      try {
        await p;
      } catch (error) {
        // Everything sent after a failure fails too (the transaction is aborted): report the cause.
        current.catch(() => {});
        throw error;
      }
    }
    return current;
  }
  /** A batch sent in one go: the answers in order, the first failure in send order being the one thrown. */
  async function answerAll(flight: InFlight, sent: Promise<unknown>[]): Promise<unknown[]> {
    const last = sent.pop();
    flight.unread.push(...sent);
    const lastAnswer = last === undefined ? undefined : await answer(flight, last);
    return [...(await Promise.all(sent)), ...(last === undefined ? [] : [lastAnswer])];
  }
  /** The transaction's last statement with COMMIT right behind it; `transaction` reads the COMMIT's answer. */
  function answerLast(flight: InFlight, s: Statement): Promise<unknown> {
    const sent = send(s, flight);
    flight.commit = control('COMMIT', flight);
    return answer(flight, sent);
  }
  /** Outside a transaction a batch is its statements one after another (each on any pooled connection), as SQLite runs them. */
  async function executeInOrder(on: Queryable, list: readonly Statement[]): Promise<unknown[]> {
    const answers: unknown[] = [];
    for (const t of list) answers.push(await execute(on, t));
    return answers;
  }
  async function drive<T>(on: Queryable, program: Sql<T>, flight?: InFlight): Promise<T> {
    let step = program.next();
    while (!step.done) {
      const s = step.value;
      if (flight?.commit) throw new Error('a statement after the last one of its transaction');
      if (flight && s.kind === 'write') {
        flight.unread.push(send(s, flight));
        step = program.next(undefined);
        continue;
      }
      let result: unknown;
      try {
        if (s.kind === 'last') result = flight ? await answerLast(flight, s.statement) : await execute(on, s.statement);
        else if (s.kind === 'batch') result = flight ? await answerAll(flight, s.list.map((t) => send(t, flight))) : await executeInOrder(on, s.list);
        else result = flight ? await answer(flight, send(s, flight)) : await execute(on, s);
      } catch (error) {
        step = program.throw(error);
        continue;
      }
      step = program.next(result);
    }
    return step.value;
  }
  const control = (sql: string, flight: InFlight): Promise<unknown> => {
    cork(flight);
    const p = flight.client.query(sql);
    flight.sent.push(p.catch(() => undefined));
    return p;
  };
  async function transaction<T>(program: () => Sql<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      const flight: InFlight = { client, sent: [], unread: [], corked: false };
      try {
        flight.unread.push(control('BEGIN', flight));
        const value = await drive(client, program(), flight);
        await answer(flight, flight.commit ?? control('COMMIT', flight));
        return value;
      } catch (error) {
        // Every query on the wire must be answered before ROLLBACK is read and the connection goes back.
        uncork(flight);
        await Promise.all(flight.sent);
        await client.query('ROLLBACK').catch(() => {});
        const code = (error as { code?: string }).code;
        if (attempt >= maxAttempts || code === undefined || !retryable.has(code)) throw error;
      } finally {
        client.release();
      }
    }
  }
  return {
    kind: 'postgres',
    description: redactUrl(url),
    pool,
    read: (program) => drive(pool, program),
    readTogether: (program) => drive(pool, program),
    transaction,
    batched: transaction,
    transactionOffLoop: (list) => transaction(() => statements(list)),
    get: async <R>(sql: string, ...params: SqlValue[]) => (await execute(pool, { kind: 'get', sql, params })) as R | undefined,
    all: async <R>(sql: string, ...params: SqlValue[]) => (await execute(pool, { kind: 'all', sql, params })) as R[],
    run: async (sql, ...params) => (await execute(pool, { kind: 'run', sql, params })) as number,
    resetSequences: async () => {
      const serials = await pool.query<{ table_name: string; column_name: string }>(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'",
      );
      for (const { table_name: t, column_name: c } of serials.rows) {
        await pool.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${c}) FROM ${t}), 0) + 1, false)`, [t, c]);
      }
    },
    close: () => pool.end(),
  };
}

/** The URL as it may appear in a log line: without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

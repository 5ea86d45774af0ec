import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { statements, type Engine, type Sql, type SqlValue, type Statement } from './sql.ts';
import { offLoopWriter } from './sqlite-off-loop.ts';
import { groupCommit } from '../group-commit.ts';
import { walCheckpoints } from './wal-checkpoints.ts';
import { migrateSqlite } from './migrate.ts';
import { readTogether } from './read-together.ts';

export type Db = Database.Database;

/**
 * SQLite has no row locks: an IMMEDIATE transaction takes the database's one write lock, which already
 * serialises every writer, so the Postgres-only `FOR [NO KEY] UPDATE [OF t] [SKIP LOCKED]` is dropped here.
 */
const rowLocks = /\s+FOR\s+(NO\s+KEY\s+)?UPDATE(\s+OF\s+\w+)?(\s+SKIP\s+LOCKED)?\s*$/i;

/** Opens the database with the pragmas every connection needs, then brings its schema up to date. */
export function openSqliteDb(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable in WAL for acknowledged transactions against process crashes (kill -9);
  // only an OS crash or power loss can drop the last commits, which FULL would cost on every submit.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Checkpoint every ~40 MB of WAL instead of 4 MB: hot pages (the pool index, the newest assignments) are
  // rewritten by every submit, and copying them back less often writes each of them once per checkpoint.
  // Under group commit the off-loop worker checkpoints long before this (wal-checkpoints.ts); it is the bound for
  // when that cannot keep up.
  db.pragma('wal_autocheckpoint = 10000');
  migrateSqlite(db);
  return db;
}

/** Runs one statement on `db`, each statement text prepared once (the cache is this function's). */
export function statementRunner(db: Db): (s: Statement) => unknown {
  const asObjects = new Map<string, Database.Statement<SqlValue[]>>();
  const asArrays = new Map<string, Database.Statement<SqlValue[]>>();
  function prepared(s: Statement): Database.Statement<SqlValue[]> {
    const cache = s.kind === 'values' ? asArrays : asObjects;
    let stmt = cache.get(s.sql);
    if (!stmt) {
      stmt = db.prepare<SqlValue[]>(s.sql.replace(rowLocks, ''));
      if (s.kind === 'values') stmt.raw(true);
      cache.set(s.sql, stmt);
    }
    return stmt;
  }
  return (s) => {
    const stmt = prepared(s);
    switch (s.kind) {
      case 'get':
        return stmt.get(...s.params);
      case 'all':
      case 'values':
        return stmt.all(...s.params);
      case 'run':
        return stmt.run(...s.params).changes;
      case 'write':
        stmt.run(...s.params);
        return undefined;
    }
  };
}

/** Drives programs synchronously: each statement is prepared once (cached by its text) and never yields to the event loop. */
export type SqliteEngine = Engine & { db: Db; runSync<T>(program: Sql<T>): T };

/** Drives `program` to its end with `execute`, synchronously; a statement's error is thrown into the program. */
export function runProgram<T>(execute: (s: Statement) => unknown, program: Sql<T>): T {
  let step = program.next();
  while (!step.done) {
    let result: unknown;
    try {
      const s = step.value;
      result = s.kind === 'batch' ? s.list.map(execute) : execute(s.kind === 'last' ? s.statement : s);
    } catch (error) {
      step = program.throw(error);
      continue;
    }
    step = program.next(result);
  }
  return step.value;
}

export function sqliteEngine(db: Db, description: string): SqliteEngine {
  const execute = statementRunner(db);
  const runSync = <T>(program: Sql<T>): T => runProgram(execute, program);
  const inTransaction = <T>(program: () => Sql<T>): T => db.transaction(() => runSync(program())).immediate();
  // An in-memory database has no second connection to give a worker: its big writes stay on the loop.
  const offLoop = db.memory ? null : offLoopWriter(db.name);
  const workerBusy = () => offLoop?.idle() ?? null;
  /** A write from this thread starts only while the worker holds no transaction (see offLoopWriter). */
  async function afterWorker(): Promise<void> {
    for (let idle = workerBusy(); idle; idle = workerBusy()) await idle;
  }
  const write = groupCommit(db, workerBusy, offLoop ? walCheckpoints(offLoop) : undefined);
  return {
    kind: 'sqlite',
    description,
    db,
    runSync,
    read: async (program) => runSync(program),
    readTogether: readTogether(db, runSync),
    transaction: async (program) => {
      await afterWorker();
      return inTransaction(program);
    },
    batched: (program) => write(() => runSync(program())),
    transactionOffLoop: async (list) => (offLoop ? offLoop.run(list) : inTransaction(() => statements(list))),
    get: async <R>(sql: string, ...params: SqlValue[]) => execute({ kind: 'get', sql, params }) as R | undefined,
    all: async <R>(sql: string, ...params: SqlValue[]) => execute({ kind: 'all', sql, params }) as R[],
    run: async (sql, ...params) => {
      await afterWorker();
      return execute({ kind: 'run', sql, params }) as number;
    },
    // INTEGER PRIMARY KEY already takes the largest id + 1.
    resetSequences: async () => {},
    close: async () => {
      await offLoop?.close();
      db.close();
    },
  };
}

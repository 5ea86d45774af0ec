/**
 * Queries are written once, as programs: a generator that yields one statement at a time and gets its
 * result back. The SQLite engine drives a program synchronously inside better-sqlite3 (statements
 * prepared once, transactions that never yield to the event loop, group commit unchanged); the Postgres
 * engine drives the same program over one pooled connection with `await` between statements.
 * See docs/decisions/011-one-store-two-engines.md.
 */
export type SqlValue = string | number | null;

export type Statement =
  | { kind: 'get'; sql: string; params: readonly SqlValue[] }
  | { kind: 'all'; sql: string; params: readonly SqlValue[] }
  | { kind: 'values'; sql: string; params: readonly SqlValue[] }
  | { kind: 'run'; sql: string; params: readonly SqlValue[] }
  | { kind: 'write'; sql: string; params: readonly SqlValue[] };

/** Statements sent as one: see `together`. */
export type Batch = { kind: 'batch'; list: readonly Statement[] };

/** A transaction's last statement: see `last`. */
export type Last = { kind: 'last'; statement: Statement };

/** What a program yields: one statement, several that need none of one another's answers, or the last one. */
export type Step = Statement | Batch | Last;

/** A store function's body: yields statements, returns its result. */
export type Sql<T> = Generator<Step, T, unknown>;

/** The first row, or undefined. */
export function* get<R>(sql: string, ...params: SqlValue[]): Sql<R | undefined> {
  return (yield { kind: 'get', sql, params }) as R | undefined;
}

/** Every row, as objects. */
export function* all<R>(sql: string, ...params: SqlValue[]): Sql<R[]> {
  return (yield { kind: 'all', sql, params }) as R[];
}

/** Every row as an array of column values, in select order: no object per row on hot read paths. */
export function* values<R extends unknown[]>(sql: string, ...params: SqlValue[]): Sql<R[]> {
  return (yield { kind: 'values', sql, params }) as R[];
}

/** Runs a statement; returns how many rows it changed. */
export function* run(sql: string, ...params: SqlValue[]): Sql<number> {
  return (yield { kind: 'run', sql, params }) as number;
}

/**
 * Runs a statement whose outcome the program does not read (a counter bump, a state change). Inside a Postgres
 * transaction it is sent together with the next statement that is read (or with COMMIT), in one round trip;
 * SQLite runs it at once. Statements still run in the order they were yielded.
 */
export function* write(sql: string, ...params: SqlValue[]): Sql<void> {
  yield { kind: 'write', sql, params };
}

type Results<P extends readonly Sql<unknown>[]> = { -readonly [K in keyof P]: P[K] extends Sql<infer T> ? T : never };

/**
 * One-statement programs (`get`, `all`, `run`, … or a store step made of one of them) whose statements need none of
 * one another's answers, each program's result in order. They still run one after another, each seeing what the
 * ones before it did; only the waiting is shared. Inside a Postgres transaction they leave in one socket write (with
 * any pending `write`s) and cost one round trip where yielding them one by one costs one each; SQLite runs them at once.
 */
export function* together<P extends readonly Sql<unknown>[]>(...programs: P): Sql<Results<P>> {
  const answers = (yield { kind: 'batch', list: programs.map(onlyStatement) }) as unknown[];
  return programs.map((program, i) => resultOf(program, answers[i])) as Results<P>;
}

/** The one statement of a one-statement program, for `together` and `last`. */
function onlyStatement(program: Sql<unknown>): Statement {
  const step = program.next();
  if (step.done || step.value.kind === 'batch' || step.value.kind === 'last') throw new Error('expected a program of exactly one statement');
  return step.value;
}

/** Feeds a one-statement program its answer and returns its result. */
function resultOf<T>(program: Sql<T>, answer: unknown): T {
  const step = program.next(answer);
  if (!step.done) throw new Error('expected a program of exactly one statement');
  return step.value;
}

/**
 * A one-statement program that is the last statement of its transaction, whose answer the program still reads (an
 * INSERT … RETURNING id, say). On Postgres COMMIT leaves with it, so the transaction ends in that round trip instead
 * of one more; the program must yield nothing after it (the engine refuses). Elsewhere it is just the statement.
 */
export function* last<T>(program: Sql<T>): Sql<T> {
  const answer = yield { kind: 'last', statement: onlyStatement(program) };
  return resultOf(program, answer);
}

/** A program of fixed statements, none of which needs another's result: every result, in order. */
export function* statements(list: readonly Statement[]): Sql<unknown[]> {
  const results: unknown[] = [];
  for (const s of list) results.push(yield s);
  return results;
}

/** A program with no statements, for a store function that has nothing to read. */
export function* pure<T>(value: T): Sql<T> {
  return value;
}

export type EngineKind = 'sqlite' | 'postgres';

/**
 * What the store runs its programs on. `transaction` takes a factory because Postgres may run a
 * program again after a serialization failure or deadlock; a program only touches the database
 * through what it yields, so running it again is safe.
 */
export interface Engine {
  readonly kind: EngineKind;
  /** Runs a program with each statement on its own (autocommit). */
  read<T>(program: Sql<T>): Promise<T>;
  /**
   * A read-only program on the hot path (the access check). SQLite runs those queued in one turn of the event loop
   * in one read transaction; Postgres runs each as `read` does.
   */
  readTogether<T>(program: Sql<T>): Promise<T>;
  /** Runs a program as one transaction that holds the write lock (SQLite) or its row locks (Postgres). */
  transaction<T>(program: () => Sql<T>): Promise<T>;
  /**
   * A transaction on the labeling hot path. SQLite batches those that arrive in one turn of the event
   * loop into one commit (group commit); Postgres runs each as its own transaction.
   */
  batched<T>(program: () => Sql<T>): Promise<T>;
  /**
   * Fixed statements (see `statements`) as one transaction that never holds the event loop, for a write too big for
   * one turn of it (a large import's final move). SQLite runs them on a worker thread over its own connection, which
   * WAL lets this process keep reading beside; Postgres runs them as any transaction, awaiting the server.
   */
  transactionOffLoop(list: readonly Statement[]): Promise<unknown[]>;
  /** Convenience for scripts and tests: one statement. */
  get<R>(sql: string, ...params: SqlValue[]): Promise<R | undefined>;
  all<R>(sql: string, ...params: SqlValue[]): Promise<R[]>;
  run(sql: string, ...params: SqlValue[]): Promise<number>;
  /** After rows were inserted with their ids (copy-db, seeding): the next generated id follows the largest. SQLite does this itself. */
  resetSequences(): Promise<void>;
  /** Where the data lives, for log lines: a file path or a URL without its password. */
  readonly description: string;
  close(): Promise<void>;
}

/** A unique or primary-key violation, whichever engine raised it. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

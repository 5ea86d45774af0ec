import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { get, isUniqueViolation, last, run, together, write } from '../../server/store/engine/sql.ts';

// On Postgres a transaction's `write`s, its BEGIN and its COMMIT are pipelined with the next statement it reads
// (docs/decisions/022-postgres-labeling-round-trips.md); these are the guarantees that must survive that.
describe('store transactions with pipelined writes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.store.engine.run('CREATE TABLE probe_writes (id INTEGER PRIMARY KEY, note TEXT NOT NULL UNIQUE)');
  });
  afterAll(async () => {
    await server.stop();
  });
  const rows = () => server.store.engine.all<{ id: number; note: string }>('SELECT id, note FROM probe_writes ORDER BY id');
  const insert = (id: number, note: string) => write('INSERT INTO probe_writes (id, note) VALUES (?, ?)', id, note);

  it('runs writes in order before the read that follows them, and commits a write that is the last step', async () => {
    const seen = await server.store.engine.transaction(function* () {
      yield* insert(1, 'a');
      yield* write('UPDATE probe_writes SET note = ? WHERE id = ?', 'b', 1);
      return yield* get<{ note: string }>('SELECT note FROM probe_writes WHERE id = ?', 1);
    });
    expect(seen?.note).toBe('b');
    await server.store.engine.transaction(function* () {
      yield* insert(2, 'c');
    });
    expect(await rows()).toEqual([{ id: 1, note: 'b' }, { id: 2, note: 'c' }]);
  });

  it('statements sent together run in order, each seeing the ones before it, and answer in order', async () => {
    const [inserted, seen, changed] = await server.store.engine.transaction(() =>
      together(
        run('INSERT INTO probe_writes (id, note) VALUES (?, ?)', 100, 'together'),
        get<{ note: string }>('SELECT note FROM probe_writes WHERE id = ?', 100),
        run('UPDATE probe_writes SET note = ? WHERE id = ?', 'together-2', 100),
      ),
    );
    expect([inserted, seen?.note, changed]).toEqual([1, 'together', 1]);
    // A failing member fails the whole transaction with its own error, even when it is not the last one sent.
    await expect(server.store.engine.transaction(function* () {
      yield* write('UPDATE probe_writes SET note = ? WHERE id = ?', 'lost', 100);
      return yield* together(run('INSERT INTO probe_writes (id, note) VALUES (?, ?)', 100, 'again'), get('SELECT 1 AS one'));
    })).rejects.toSatisfy(isUniqueViolation);
    expect((await rows()).filter((r) => r.id >= 100)).toEqual([{ id: 100, note: 'together-2' }]);
    await server.store.engine.run('DELETE FROM probe_writes WHERE id >= 100');
  });

  it('a last statement commits with its transaction and answers; when it fails nothing of the transaction stays', async () => {
    const id = await server.store.engine.transaction(function* () {
      yield* write('INSERT INTO probe_writes (id, note) VALUES (?, ?)', 200, 'before-last');
      return (yield* last(get<{ id: number }>('INSERT INTO probe_writes (id, note) VALUES (?, ?) RETURNING id', 201, 'last')))?.id;
    });
    expect(id).toBe(201);
    await expect(server.store.engine.transaction(function* () {
      yield* write('UPDATE probe_writes SET note = ? WHERE id = ?', 'lost', 200);
      return yield* last(get('INSERT INTO probe_writes (id, note) VALUES (?, ?) RETURNING id', 201, 'again'));
    })).rejects.toSatisfy(isUniqueViolation);
    expect((await rows()).filter((r) => r.id >= 200)).toEqual([{ id: 200, note: 'before-last' }, { id: 201, note: 'last' }]);
    await server.store.engine.run('DELETE FROM probe_writes WHERE id >= 200');
  });

  it('a write that fails stores nothing of its transaction and is the error the caller gets; the connections stay usable', async () => {
    const failing = server.store.engine.transaction(function* () {
      yield* insert(3, 'd');
      yield* insert(4, 'c');
      yield* write('UPDATE probe_writes SET note = ? WHERE id = ?', 'z', 1);
      return yield* get<{ n: number }>('SELECT count(*) AS n FROM probe_writes');
    });
    await expect(failing).rejects.toSatisfy(isUniqueViolation);
    // The same when the failing write would only have been sent with COMMIT.
    await expect(server.store.engine.transaction(function* () {
      yield* insert(5, 'e');
      yield* insert(6, 'b');
    })).rejects.toSatisfy(isUniqueViolation);
    expect(await rows()).toEqual([{ id: 1, note: 'b' }, { id: 2, note: 'c' }]);
    // More transactions than the pool has connections: every one of them came back clean.
    for (let i = 0; i < 12; i++) {
      await server.store.engine.transaction(function* () {
        yield* insert(10 + i, `n${i}`);
      });
    }
    expect((await rows()).length).toBe(14);
  });
});

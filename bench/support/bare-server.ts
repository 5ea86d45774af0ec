import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import type { AddressInfo } from 'node:net';

// The baseline: the least a Hono + better-sqlite3 route can do per submit (parse JSON, one prepared insert).
const db = new Database(process.argv[2] ?? ':memory:');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.exec('CREATE TABLE IF NOT EXISTS submits (id INTEGER PRIMARY KEY, worker INTEGER, body TEXT)');
const insert = db.prepare('INSERT INTO submits (worker, body) VALUES (?, ?)');
const app = new Hono().post('/submit', async (c) => {
  const body = await c.req.json<{ worker: number }>();
  const row = insert.run(body.worker, JSON.stringify(body));
  return c.json({ id: Number(row.lastInsertRowid) }, 201);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  console.log(`serving http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import pg from 'pg';
import type { AddressInfo } from 'node:net';

// The Postgres baseline: the least a Hono + node-postgres route can do per submit (parse JSON, one insert
// through a pool of the size Podium uses (PODIUM_PG_POOL, default 10), statement prepared once per connection).
const pool = new pg.Pool({ connectionString: process.argv[2], max: Number(process.env.PODIUM_PG_POOL || 10) });
await pool.query('CREATE TABLE IF NOT EXISTS submits (id BIGSERIAL PRIMARY KEY, worker INTEGER, body TEXT)');
const app = new Hono().post('/submit', async (c) => {
  const body = await c.req.json<{ worker: number }>();
  const row = await pool.query<{ id: string }>({ name: 'insert', text: 'INSERT INTO submits (worker, body) VALUES ($1, $2) RETURNING id', values: [body.worker, JSON.stringify(body)] });
  return c.json({ id: Number(row.rows[0]?.id) }, 201);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  console.log(`serving http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

import pg from 'pg';
import { randomBytes } from 'node:crypto';

/**
 * A fresh, empty database on the Postgres server that `url` reaches, for one test server or one bench run,
 * so nothing it writes lands in a database someone uses. `drop` removes it (connections closed first).
 */
export async function scratchDatabase(url: string, prefix = 'podium_scratch'): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // C collation: text sorts byte by byte, as SQLite's BINARY does.
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

import { existsSync } from 'node:fs';
import { readConfig } from '../config.ts';
import { openSqliteDb } from '../store/engine/sqlite-engine.ts';
import { openEngine } from '../store/db.ts';
import { copySqliteToPostgres } from '../store/copy-database.ts';
import { redactUrl } from '../store/engine/postgres-engine.ts';
import { commandHelp, defineCommand, parseCommand, usageError } from './args.ts';

export const copyDbCommand = defineCommand({
  name: 'copy-db',
  summary: 'Copy the SQLite database in PODIUM_DB into an empty Postgres database, ids and all.',
  usage: ['--to postgres://USER@HOST/DB'],
  options: {
    to: { type: 'string', value: 'URL', description: 'the Postgres database to fill (must hold no Podium rows)' },
  },
});

/** `podium copy-db --to URL`: moves a SQLite installation to Postgres, ids and all, into an empty database. */
export async function runCopyDbCommand(argv: string[]): Promise<number> {
  const args = parseCommand(copyDbCommand, argv);
  if (args === 'help') {
    console.log(commandHelp(copyDbCommand));
    return 0;
  }
  const to = args.values.to;
  if (!to || !/^postgres(ql)?:\/\//.test(to)) throw usageError(copyDbCommand, '--to postgres://… is required');
  const dbFile = readConfig().dbFile;
  if (!existsSync(dbFile)) {
    console.error(`no SQLite database at ${dbFile} (set PODIUM_DB)`);
    return 1;
  }
  // Opening brings the file's schema up to date first, so its columns are the ones the Postgres migrations make.
  const source = openSqliteDb(dbFile);
  try {
    const target = await openEngine({ dbFile, databaseUrl: to });
    try {
      const outcome = await copySqliteToPostgres(source, target);
      if (!outcome.ok) {
        console.error(outcome.message);
        return 1;
      }
      const total = Object.values(outcome.rows).reduce((a, b) => a + b, 0);
      console.log(`copied ${total} rows from ${dbFile} to ${redactUrl(to)}: ${Object.entries(outcome.rows).map(([t, n]) => `${t} ${n}`).join(', ')}`);
      console.log('start the servers with PODIUM_DATABASE_URL set to that URL');
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}

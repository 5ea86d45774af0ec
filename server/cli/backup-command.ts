import Database from 'better-sqlite3';
import { existsSync, renameSync, statSync } from 'node:fs';
import { readConfig } from '../config.ts';
import { commandHelp, defineCommand, parseCommand, usageError } from './args.ts';

export const backupCommand = defineCommand({
  name: 'backup',
  summary: 'Online SQLite backup while the server runs; the copy is written beside FILE and renamed into place.',
  usage: ['--out FILE [--db FILE] [--force]'],
  options: {
    out: { type: 'string', value: 'FILE', description: 'where the backup goes' },
    db: { type: 'string', value: 'FILE', description: 'the database to copy (default: PODIUM_DB)' },
    force: { type: 'boolean', description: 'replace FILE if it exists' },
  },
});

/**
 * `podium backup --out FILE [--db FILE]`: SQLite's online backup, page by page, while the server keeps
 * writing (WAL lets readers and the writer work at once). The copy is a consistent snapshot that opens
 * on its own, without the -wal file; it is written beside FILE and renamed, so FILE is never half a backup.
 */
export async function runBackupCommand(argv: string[]): Promise<number> {
  const args = parseCommand(backupCommand, argv);
  if (args === 'help') {
    console.log(commandHelp(backupCommand));
    return 0;
  }
  const out = args.values.out;
  if (!out) throw usageError(backupCommand, '--out FILE is required');
  const dbFile = args.values.db ?? readConfig().dbFile;
  if (!existsSync(dbFile)) {
    console.error(`no database at ${dbFile}`);
    return 1;
  }
  if (existsSync(out) && args.values.force !== true) {
    console.error(`${out} exists; pass --force to overwrite it`);
    return 1;
  }
  const source = new Database(dbFile, { fileMustExist: true });
  source.pragma('busy_timeout = 5000');
  const partial = `${out}.partial`;
  try {
    const started = Date.now();
    await source.backup(partial);
    const copy = new Database(partial);
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') {
        console.error(`the backup failed its integrity check: ${String(check)}`);
        return 1;
      }
      // A single-file copy: no -wal to carry around when restoring.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    renameSync(partial, out);
    console.log(JSON.stringify({ out, bytes: statSync(out).size, ms: Date.now() - started }));
    return 0;
  } finally {
    source.close();
  }
}

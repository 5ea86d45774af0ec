import Database from 'better-sqlite3';
import { existsSync, renameSync, statSync } from 'node:fs';
import { readConfig } from '../config.ts';
import { parseArgs, stringOption, UsageError } from './args.ts';

/**
 * `podium backup --out FILE [--db FILE]`: SQLite's online backup, page by page, while the server keeps
 * writing (WAL lets readers and the writer work at once). The copy is a consistent snapshot that opens
 * on its own, without the -wal file; it is written beside FILE and renamed, so FILE is never half a backup.
 */
export async function runBackupCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const out = stringOption(args, 'out');
  if (!out) throw new UsageError('usage: podium backup --out FILE [--db FILE]');
  const dbFile = stringOption(args, 'db') ?? readConfig().dbFile;
  if (!existsSync(dbFile)) {
    console.error(`no database at ${dbFile}`);
    return 1;
  }
  if (existsSync(out) && !args.options.has('force')) {
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

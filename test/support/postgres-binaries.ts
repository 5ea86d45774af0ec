import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian's `postgresql` package puts initdb and pg_ctl (the newest major if several), or PODIUM_PG_BIN. */
export function postgresBinaries(): string | null {
  const given = process.env.PODIUM_PG_BIN;
  if (given) return existsSync(join(given, 'pg_ctl')) ? given : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'pg_ctl')) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], 'bin') : null;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';
import { repoRoot } from '../paths.ts';
import { apiError } from '../http/errors.ts';

/** The shipped list of passwords that lead every leak (data/common-passwords.txt), lower-cased, read once. */
const common: ReadonlySet<string> = new Set(
  readFileSync(join(repoRoot, 'data', 'common-passwords.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l !== '' && !l.startsWith('#')),
);

/** Why a password that passes the length rule is still refused, or null. Pure apart from the list above. */
export function passwordProblem(password: string, username: string): string | null {
  const lowered = password.trim().toLowerCase();
  if (lowered === username.trim().toLowerCase()) return 'a password may not be the username';
  if (common.has(lowered)) return 'this password is one of the most common ones; choose another';
  return null;
}

/** 400 in the zod-issue shape (so a form shows it under the field), or null when the password is acceptable. */
export function refuseWeakPassword(c: Context, field: string, password: string, username: string) {
  const problem = passwordProblem(password, username);
  return problem ? apiError(c, 400, 'weak_password', `${field}: ${problem}`, [{ code: 'custom', path: [field], message: problem }]) : null;
}

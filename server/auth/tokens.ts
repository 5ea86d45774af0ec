import { createHash, randomBytes } from 'node:crypto';

/** Only hashes of session and API tokens are stored, so a copied database file opens no accounts. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

import { hash, randomBytes } from 'node:crypto';

/** Only hashes of session and API tokens are stored, so a copied database file opens no accounts. */
// One-shot `hash` rather than a Hash object: every authenticated request hashes its cookie or token.
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

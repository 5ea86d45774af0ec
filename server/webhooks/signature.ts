import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Podium-Signature`: `sha256=` and the hex HMAC-SHA256 of the exact body bytes, keyed with the webhook's secret. */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver does with it, in constant time (the README shows the same in Python and Node). */
export function signatureMatches(body: string, secret: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signatureOf(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

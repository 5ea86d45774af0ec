import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';

/** One POST as the receiver got it: the raw body bytes (what the signature covers) and the headers. */
export type ReceivedHook = { at: number; path: string; headers: IncomingHttpHeaders; raw: Buffer; json: { id: number; event: string; project: { id: number; name: string }; at: string; data: Record<string, unknown> } };

export type WebhookReceiver = {
  /** Where a lead points a webhook: http://127.0.0.1:PORT/hooks */
  url: string;
  received: ReceivedHook[];
  /** The status each next request gets, in order; once used up, `status`. */
  answers: number[];
  status: number;
  /** Resolves once `predicate` holds over what has arrived (polled; the test's timeout bounds it). */
  until: (predicate: (received: ReceivedHook[]) => boolean) => Promise<ReceivedHook[]>;
  close: () => Promise<void>;
};

/** A real HTTP receiver on loopback, as a CI system or a pipeline would run one. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    answers: [],
    status: 200,
    until: async (predicate) => {
      await expect.poll(() => predicate(receiver.received), { timeout: 60_000, interval: 25 }).toBe(true);
      return receiver.received;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const status = receiver.answers.shift() ?? receiver.status;
      receiver.received.push({ at: Date.now(), path: req.url ?? '', headers: req.headers, raw, json: JSON.parse(raw.toString('utf8')) as ReceivedHook['json'] });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status >= 300 ? `receiver says ${status}` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

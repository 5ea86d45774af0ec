import type { Store } from '../store/store.ts';
import type { ClaimedDelivery, AttemptOutcome } from '../store/webhooks.ts';
import type { WebhookSettings } from './delivery-settings.ts';
import { hostRefusal, isDelivered, nextAttemptAt } from './delivery-rules.ts';
import { signatureOf } from './signature.ts';
import { leaseOwner } from '../sampling/job-lease.ts';
import { podiumVersion } from '../version.ts';

/** Deliveries one server posts at once; more wait for the next round, which starts as soon as these are done. */
const batchSize = 16;
/**
 * A claim outlives the slowest attempt by this much, so a live claimer settles its row before another server may take
 * it; a row in flight when its server died waits this long past the timeout.
 */
const leaseMarginMs = 5_000;
/** Settled deliveries (and their log lines) are kept this long, then pruned. */
export const deliveryRetentionMs = 30 * 24 * 60 * 60_000;
const pruneEveryMs = 60 * 60_000;
/** What of a refusing receiver's answer goes into the log. */
const answerExcerptChars = 300;

/** The body exactly as signed and sent: the stored event, with the project and the prompt's external id it names. */
export function deliveryBody(d: ClaimedDelivery): string {
  const stored = JSON.parse(d.data) as Record<string, unknown>;
  const data = 'promptId' in stored ? { ...stored, externalId: d.externalId } : stored;
  return JSON.stringify({ id: d.id, event: d.event, project: { id: d.projectId, name: d.projectName }, at: new Date(d.createdAt).toISOString(), data });
}

/** The start of an answer's body, without reading more of it than that. */
async function excerpt(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < answerExcerptChars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // a receiver that hangs up mid-answer still gave its status
  } finally {
    void reader.cancel().catch(() => {});
  }
  return text.slice(0, answerExcerptChars).trim();
}

/** One POST of one delivery; never throws. `final`: trying again cannot help (the host is not allowed). */
async function attempt(d: ClaimedDelivery, settings: WebhookSettings, stopping: AbortSignal): Promise<Omit<AttemptOutcome, 'retryAt'> & { final?: boolean }> {
  const started = Date.now();
  const took = () => Date.now() - started;
  // Checked again at each attempt: PODIUM_WEBHOOK_HOSTS may have been narrowed since the webhook was registered.
  const refused = hostRefusal(d.url, settings.hosts);
  if (refused) return { statusCode: null, error: `not sent: ${refused}`, durationMs: 0, delivered: false, final: true };
  const body = deliveryBody(d);
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(settings.timeoutMs), stopping]),
      headers: {
        'content-type': 'application/json',
        'user-agent': `Podium-Webhooks/${podiumVersion}`,
        'x-podium-event': d.event,
        'x-podium-delivery': String(d.id),
        'x-podium-signature': signatureOf(body, d.secret),
      },
      body,
    });
    if (isDelivered(res.status)) {
      void res.body?.cancel().catch(() => {});
      return { statusCode: res.status, error: null, durationMs: took(), delivered: true };
    }
    const said = await excerpt(res);
    const location = res.status >= 300 && res.status < 400 ? ` (redirects are not followed${res.headers.get('location') ? `: ${res.headers.get('location')}` : ''})` : '';
    return { statusCode: res.status, error: `HTTP ${res.status}${location}${said ? `: ${said}` : ''}`, durationMs: took(), delivered: false };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const timedOut = err.name === 'TimeoutError' || (err.name === 'AbortError' && !stopping.aborted);
    const why = timedOut ? `no answer within ${settings.timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
    return { statusCode: null, error: why, durationMs: took(), delivered: false };
  }
}

export type WebhookDeliverer = { stop: () => Promise<void> };

/**
 * The background deliverer of one server process: every `pollMs` it claims due deliveries (a lease, so several servers
 * on one database never post the same row at once), posts them, and logs each attempt. Undelivered rows stay in the
 * outbox, so whatever a stopped or killed server left is delivered by the next one to look.
 */
export function startWebhookDeliverer(store: Store, settings: WebhookSettings, log: (line: string) => void = () => {}, owner = leaseOwner): WebhookDeliverer {
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  let again = false;
  let lastPrune = 0;

  const round = async (): Promise<void> => {
    for (;;) {
      const now = Date.now();
      if (now - lastPrune > pruneEveryMs) {
        lastPrune = now;
        await store.webhooks.prune(now - deliveryRetentionMs);
      }
      if (!(await store.webhooks.anyDue(now))) return;
      const claimed = await store.webhooks.claimDue(owner, now, settings.timeoutMs + leaseMarginMs, batchSize);
      await Promise.all(
        claimed.map(async (d) => {
          const at = Date.now();
          const { final, ...result } = await attempt(d, settings, stopping.signal);
          if (stopping.signal.aborted && !result.delivered) return; // shutdown cut it short: release() gives it back untried
          const n = d.attempts + 1;
          const retryAt = result.delivered || final ? null : nextAttemptAt(n, at + result.durationMs, settings, Math.random());
          await store.webhooks.recordAttempt(d.id, owner, n, at, { ...result, retryAt });
        }),
      );
      if (claimed.length < batchSize || stopping.signal.aborted) return;
    }
  };

  const tick = () => {
    if (stopping.signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    running = round()
      .catch((e: unknown) => log(`webhook delivery: ${(e as Error).message}`)) // the database restarting: the next tick tries again
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          tick();
        }
      });
  };

  const timer = setInterval(tick, settings.pollMs);
  timer.unref();
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      stopping.abort();
      await running;
      await store.webhooks.release(owner, Date.now()).catch(() => {});
    },
  };
}

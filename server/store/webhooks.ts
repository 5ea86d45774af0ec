import { all, get, run, type Engine, type Sql } from './engine/sql.ts';
import type { UpdateWebhookInput, Webhook, WebhookAttempt, WebhookDelivery } from '../../shared/webhooks.ts';
import { webhookEvents, type WebhookDeliveryState, type WebhookEvent } from '../../shared/webhook-events.ts';

type WebhookRow = { id: number; project_id: number; url: string; active: number; created_at: number };
type Counts = Webhook['deliveries'];

/** A due delivery as the deliverer claimed it: everything it needs to build, sign and send the body. */
export type ClaimedDelivery = {
  id: number;
  webhookId: number;
  event: WebhookEvent;
  data: string;
  createdAt: number;
  attempts: number;
  projectId: number;
  projectName: string;
  url: string;
  secret: string;
  externalId: string | null;
};

/** What one POST came to; `next`: retry at that time, or null when this was the last try. */
export type AttemptOutcome = { statusCode: number | null; error: string | null; durationMs: number; delivered: boolean; retryAt: number | null };

const iso = (ms: number) => new Date(ms).toISOString();
const noCounts = (): Counts => ({ pending: 0, delivered: 0, failed: 0 });

/** Each webhook's events, in the order of `webhookEvents`. */
function* eventsOf(projectId: number): Sql<Map<number, WebhookEvent[]>> {
  const out = new Map<number, WebhookEvent[]>();
  for (const r of yield* all<{ webhook_id: number; event: WebhookEvent }>('SELECT webhook_id, event FROM webhook_events WHERE project_id = ?', projectId)) {
    out.set(r.webhook_id, [...(out.get(r.webhook_id) ?? []), r.event]);
  }
  for (const [id, events] of out) out.set(id, webhookEvents.filter((e) => events.includes(e)));
  return out;
}

function* views(rows: WebhookRow[], projectId: number): Sql<Webhook[]> {
  const events = yield* eventsOf(projectId);
  const counts = new Map<number, Counts>();
  const grouped = yield* all<{ webhook_id: number; state: WebhookDeliveryState; n: number }>(
    'SELECT webhook_id, state, count(*) AS n FROM webhook_deliveries WHERE project_id = ? GROUP BY webhook_id, state',
    projectId,
  );
  for (const g of grouped) {
    const c = counts.get(g.webhook_id) ?? noCounts();
    c[g.state] = g.n;
    counts.set(g.webhook_id, c);
  }
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    url: r.url,
    events: events.get(r.id) ?? [],
    active: r.active === 1,
    secretSet: true as const,
    createdAt: iso(r.created_at),
    deliveries: counts.get(r.id) ?? noCounts(),
  }));
}

const columns = 'id, project_id, url, active, created_at';
const rowOf = (projectId: number, webhookId: number): Sql<WebhookRow | undefined> =>
  get<WebhookRow>(`SELECT ${columns} FROM webhooks WHERE id = ? AND project_id = ?`, webhookId, projectId);

function* setEvents(projectId: number, webhookId: number, events: readonly WebhookEvent[]): Sql<void> {
  yield* run('DELETE FROM webhook_events WHERE webhook_id = ?', webhookId);
  for (const event of events) yield* run('INSERT INTO webhook_events (project_id, event, webhook_id) VALUES (?, ?, ?)', projectId, event, webhookId);
}

/** Webhooks of a project (the secret never leaves this file but towards the deliverer), their outbox and delivery log. */
export function webhooksStore(engine: Engine) {
  return {
    list(projectId: number): Promise<Webhook[]> {
      return engine.read(
        (function* () {
          return yield* views(yield* all<WebhookRow>(`SELECT ${columns} FROM webhooks WHERE project_id = ? ORDER BY id`, projectId), projectId);
        })(),
      );
    },
    count(projectId: number): Promise<number> {
      return engine.read(get<{ n: number }>('SELECT count(*) AS n FROM webhooks WHERE project_id = ?', projectId)).then((r) => r?.n ?? 0);
    },
    create(projectId: number, input: { url: string; events: WebhookEvent[]; secret: string; active: boolean }, createdBy: number, at = Date.now()): Promise<Webhook> {
      return engine.transaction(function* () {
        const row = yield* get<WebhookRow>(
          `INSERT INTO webhooks (project_id, url, secret, active, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${columns}`,
          projectId, input.url, input.secret, input.active ? 1 : 0, createdBy, at,
        );
        if (!row) throw new Error('webhook insert returned nothing');
        yield* setEvents(projectId, row.id, input.events);
        const [view] = yield* views([row], projectId);
        if (!view) throw new Error('webhook view missing');
        return view;
      });
    },
    /** Null when the project has no such webhook. */
    update(projectId: number, webhookId: number, change: UpdateWebhookInput): Promise<Webhook | null> {
      return engine.transaction(function* () {
        const before = yield* rowOf(projectId, webhookId);
        if (!before) return null;
        if (change.url !== undefined) yield* run('UPDATE webhooks SET url = ? WHERE id = ?', change.url, webhookId);
        if (change.secret !== undefined) yield* run('UPDATE webhooks SET secret = ? WHERE id = ?', change.secret, webhookId);
        if (change.active !== undefined) yield* run('UPDATE webhooks SET active = ? WHERE id = ?', change.active ? 1 : 0, webhookId);
        if (change.events !== undefined) yield* setEvents(projectId, webhookId, change.events);
        const after = yield* rowOf(projectId, webhookId);
        return after ? ((yield* views([after], projectId))[0] ?? null) : null;
      });
    },
    /** Deletes the webhook with its undelivered events and its log; false when there was none. */
    remove(projectId: number, webhookId: number): Promise<boolean> {
      return engine.read(run('DELETE FROM webhooks WHERE id = ? AND project_id = ?', webhookId, projectId)).then((n) => n === 1);
    },
    /** The latest deliveries of one webhook, newest first, each with every attempt; null when the project has no such webhook. */
    deliveries(projectId: number, webhookId: number, limit: number): Promise<WebhookDelivery[] | null> {
      return engine.read(
        (function* () {
          if (!(yield* rowOf(projectId, webhookId))) return null;
          const rows = yield* all<{ id: number; event: WebhookEvent; state: WebhookDeliveryState; created_at: number; next_at: number; finished_at: number | null }>(
            'SELECT id, event, state, created_at, next_at, finished_at FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?',
            webhookId, limit,
          );
          const attempts = yield* all<{ delivery_id: number; attempt: number; at: number; status_code: number | null; error: string | null; duration_ms: number }>(
            `SELECT delivery_id, attempt, at, status_code, error, duration_ms FROM webhook_attempts
             WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?) ORDER BY delivery_id, attempt`,
            webhookId, limit,
          );
          const byDelivery = new Map<number, WebhookAttempt[]>();
          for (const a of attempts) {
            const list = byDelivery.get(a.delivery_id) ?? [];
            list.push({ attempt: a.attempt, at: iso(a.at), statusCode: a.status_code, error: a.error, durationMs: a.duration_ms });
            byDelivery.set(a.delivery_id, list);
          }
          return rows.map((d) => ({
            id: d.id,
            event: d.event,
            state: d.state,
            createdAt: iso(d.created_at),
            nextAttemptAt: d.state === 'pending' ? iso(d.next_at) : null,
            finishedAt: d.finished_at === null ? null : iso(d.finished_at),
            attempts: byDelivery.get(d.id) ?? [],
          }));
        })(),
      );
    },

    // The deliverer's side. A claim is a lease: next_at moves forward by `leaseMs` and owner names the claimer, so another
    // server skips the row until the lease runs out (a dead claimer's rows fall due again by themselves).
    /** Whether any delivery is due: a read on the partial index, so an idle server takes no write lock to find nothing. */
    async anyDue(now: number): Promise<boolean> {
      const due = await engine.read(
        get<{ one: number }>("SELECT 1 AS one FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.state = 'pending' AND d.next_at <= ? AND w.active = 1 LIMIT 1", now),
      );
      return due !== undefined;
    },
    /**
     * Claims up to `limit` due deliveries of active webhooks for `owner`. On Postgres the rows are locked and concurrent
     * claimers skip them (SKIP LOCKED), then the lease is written before commit; on SQLite the write lock serialises claims.
     */
    claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
      return engine.transaction(function* () {
        const rows = yield* all<ClaimedDelivery>(
          `SELECT d.id, d.webhook_id AS "webhookId", d.event, d.data, d.created_at AS "createdAt", d.attempts, d.project_id AS "projectId",
                  pr.name AS "projectName", w.url, w.secret, p.external_id AS "externalId"
           FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN projects pr ON pr.id = d.project_id
           LEFT JOIN prompts p ON p.id = d.prompt_id
           WHERE d.state = 'pending' AND d.next_at <= ? AND w.active = 1
           ORDER BY d.next_at, d.id LIMIT ? FOR UPDATE OF d SKIP LOCKED`,
          now, limit,
        );
        for (const r of rows) yield* run('UPDATE webhook_deliveries SET owner = ?, next_at = ? WHERE id = ?', owner, now + leaseMs, r.id);
        return rows;
      });
    },
    /** Logs one attempt and settles the delivery: delivered, due again at `retryAt`, or failed. A lease lost meanwhile keeps the log line only. */
    recordAttempt(deliveryId: number, owner: string, attempt: number, at: number, o: AttemptOutcome): Promise<void> {
      return engine.transaction(function* () {
        yield* run(
          'INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)',
          deliveryId, attempt, at, o.statusCode, o.error, o.durationMs,
        );
        const finishedAt = at + o.durationMs;
        if (o.delivered) {
          yield* run("UPDATE webhook_deliveries SET state = 'delivered', attempts = ?, owner = NULL, finished_at = ? WHERE id = ? AND owner = ?", attempt, finishedAt, deliveryId, owner);
        } else if (o.retryAt !== null) {
          yield* run('UPDATE webhook_deliveries SET attempts = ?, owner = NULL, next_at = ? WHERE id = ? AND owner = ?', attempt, o.retryAt, deliveryId, owner);
        } else {
          yield* run("UPDATE webhook_deliveries SET state = 'failed', attempts = ?, owner = NULL, finished_at = ? WHERE id = ? AND owner = ?", attempt, finishedAt, deliveryId, owner);
        }
      });
    },
    /** Shutdown: what this process had claimed but not settled is due again now, for any server. */
    async release(owner: string, now: number): Promise<void> {
      await engine.read(run("UPDATE webhook_deliveries SET owner = NULL, next_at = ? WHERE owner = ? AND state = 'pending'", now, owner));
    },
    /** Forgets settled deliveries (and their log) finished before `before`; pending ones always stay. */
    async prune(before: number): Promise<number> {
      return engine.read(run("DELETE FROM webhook_deliveries WHERE state <> 'pending' AND finished_at < ?", before));
    },
  };
}

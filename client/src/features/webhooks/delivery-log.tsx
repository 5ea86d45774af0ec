import { useQuery } from '@tanstack/react-query';
import { deliveriesOptions } from '../../api/webhook-queries.ts';
import type { WebhookAttempt } from '../../../../shared/webhooks.ts';

const time = (iso: string) => new Date(iso).toLocaleString();
// the delivery's row already says the day
const clock = (iso: string) => new Date(iso).toLocaleTimeString();

function attemptText(a: WebhookAttempt): string {
  const answer = a.statusCode === null ? 'no answer' : String(a.statusCode);
  return `#${a.attempt} ${clock(a.at)} · ${answer} · ${a.durationMs} ms${a.error ? ` · ${a.error}` : ''}`;
}

/** A webhook's latest deliveries, newest first, each with every attempt; refreshed while it is open. */
export function DeliveryLog({ projectId, webhookId }: { projectId: number; webhookId: number }) {
  const log = useQuery({ ...deliveriesOptions(projectId, webhookId), refetchInterval: 3_000 });
  if (log.isPending) return <p className="muted">Loading…</p>;
  if (log.isError) return <p className="error">{log.error.message}</p>;
  if (log.data.length === 0) return <p className="muted">Nothing sent yet: deliveries appear here when an event happens.</p>;
  return (
    <div className="table-scroll">
      <table className="dense delivery-log" aria-label="Deliveries">
        <thead>
          <tr>
            <th>Event</th>
            <th>State</th>
            <th>Attempts</th>
          </tr>
        </thead>
        <tbody>
          {log.data.map((d) => (
            <tr key={d.id} data-delivery={d.id} data-state={d.state}>
              <td>
                <code>{d.event}</code>
                <div className="muted hint">
                  #{d.id} · {time(d.createdAt)}
                </div>
              </td>
              <td>
                <span className={d.state === 'delivered' ? 'ok' : d.state === 'failed' ? 'error' : 'warn'}>{d.state}</span>
                {d.nextAttemptAt && <div className="muted hint">next try {time(d.nextAttemptAt)}</div>}
              </td>
              <td>
                {d.attempts.length === 0 ? (
                  <span className="muted">not tried yet</span>
                ) : (
                  <ol className="attempt-list" aria-label="Attempts">
                    {d.attempts.map((a) => (
                      <li key={a.attempt} className={a.error ? 'error' : undefined}>
                        {attemptText(a)}
                      </li>
                    ))}
                  </ol>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { run, write, type Sql } from '../store/engine/sql.ts';
import type { Project } from '../../shared/projects.ts';
import type { GenerationJob } from '../../shared/sampling.ts';
import type { RankingSubmittedData } from '../../shared/webhooks.ts';

/**
 * Steps that write webhook events into the outbox (`webhook_deliveries`), each run inside the transaction of the change
 * it reports: the event commits with the change or not at all, so an acknowledged ranking always has its event, even
 * if the server dies the next moment. Each is one INSERT … SELECT over the hooks that want the event; a project without
 * hooks inserts nothing after one empty index range on `webhook_events` (docs/decisions/021-webhook-outbox.md).
 * A new row is due at once; the deliverer (deliverer.ts) posts it.
 */

// The hooks of a project that want an event and are not paused; `e` is webhook_events.
const wanting = 'FROM webhook_events e JOIN webhooks w ON w.id = e.webhook_id AND w.active = 1';

/** What submit knows about the ranking it stored; the prompt's external id is added when the event is sent. */
export type StoredRanking = Omit<RankingSubmittedData, 'externalId'>;

/**
 * `ranking.submitted` for a stored ranking, and `prompt.completed` when it was the ranking that filled the prompt's
 * places: its kept rankings (decision 009) now equal R plus the extra labels a lead asked for. Runs after the
 * submit's `kept + 1`, so the prompt row it reads is the one this transaction leaves.
 */
// A write (no answer awaited): on Postgres it rides in the submit's pipeline instead of costing a round trip.
export const enqueueRankingEvents = (project: Project, ranking: StoredRanking, at: number): Sql<void> =>
  write(
    `INSERT INTO webhook_deliveries (webhook_id, project_id, event, prompt_id, data, created_at, next_at)
     SELECT e.webhook_id, e.project_id, e.event, p.id, CASE WHEN e.event = 'ranking.submitted' THEN ? ELSE ? END, ?, ?
     ${wanting} JOIN prompts p ON p.id = ?
     WHERE e.project_id = ? AND e.event IN ('ranking.submitted', 'prompt.completed')
       AND (e.event = 'ranking.submitted' OR (p.kept = ? + p.extra_labelers AND p.excluded = 0))`,
    JSON.stringify(ranking),
    JSON.stringify({ promptId: ranking.promptId }),
    at,
    at,
    ranking.promptId,
    project.id,
    project.labelersPerPrompt,
  );

/** `job.finished` for a job that has just ended (done, failed or cancelled), as the row the ending left. */
export const enqueueJobFinished = (job: GenerationJob, at: number): Sql<number> =>
  run(
    `INSERT INTO webhook_deliveries (webhook_id, project_id, event, prompt_id, data, created_at, next_at)
     SELECT e.webhook_id, e.project_id, e.event, NULL, ?, ?, ? ${wanting}
     WHERE e.project_id = ? AND e.event = 'job.finished'`,
    JSON.stringify({ job }),
    at,
    at,
    job.projectId,
  );

import { useEffect, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { projectKeys } from '../../api/queries.ts';
import { cancelGenerationJob, samplingKeys, startGenerationJob, watchGenerationJob } from '../../api/sampling-queries.ts';
import { ProgressBar } from '../../components/progress-bar.tsx';
import type { GenerationJob } from '../../../../shared/sampling.ts';
import { isFinished, progressRate } from '../../../../shared/job-progress.ts';

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

/** Starts a sampling job and follows it live (server-sent events): progress, rate, time left, recent errors and cancel. */
export function JobControls({ projectId, job }: { projectId: number; job: GenerationJob | null }) {
  const queryClient = useQueryClient();
  const [concurrency, setConcurrency] = useState('8');
  const first = useRef<{ id: number; at: number; done: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const active = job !== null && !isFinished(job.status);
  const jobId = job?.id ?? null;

  useEffect(() => {
    if (jobId === null || !active) return;
    const stop = watchGenerationJob(
      jobId,
      (j) => {
        queryClient.setQueryData(samplingKeys.latestJob(projectId), j);
        setNow(Date.now());
      },
      // prompts became rankable: the dashboard's counts are stale
      () => void queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId), exact: true }),
    );
    return stop;
  }, [jobId, active, projectId, queryClient]);

  if (job && first.current?.id !== job.id) first.current = { id: job.id, at: Date.now(), done: job.done + job.failed };

  const start = useMutation({
    mutationFn: () => startGenerationJob(projectId, Number(concurrency)),
    onSuccess: (res) => {
      first.current = { id: res.job.id, at: Date.now(), done: 0 };
      queryClient.setQueryData(samplingKeys.latestJob(projectId), res.job);
    },
  });
  const cancel = useMutation({
    mutationFn: (id: number) => cancelGenerationJob(id),
    onSuccess: (res) => queryClient.setQueryData(samplingKeys.latestJob(projectId), res.job),
  });

  const settled = job ? job.done + job.failed : 0;
  const rate = job && first.current ? progressRate(first.current, { at: now, done: settled }, job.total - settled) : { perSecond: null, etaSeconds: null };
  return (
    <div className="stack">
      <div className="row">
        <label className="inline">
          Concurrency
          <input type="number" min={1} max={512} value={concurrency} onChange={(e) => setConcurrency(e.target.value)} style={{ width: '5rem' }} />
        </label>
        <button type="button" className="primary" disabled={active || start.isPending} onClick={() => start.mutate()}>
          {active ? 'Sampling…' : 'Sample missing responses'}
        </button>
        {active && job && (
          <button type="button" disabled={cancel.isPending} onClick={() => cancel.mutate(job.id)}>
            Cancel
          </button>
        )}
      </div>
      {start.isError && <p className="error">{start.error.message}</p>}
      {cancel.isError && <p className="error">{cancel.error.message}</p>}
      {job && (
        <div className="stack" aria-live="polite">
          <p>
            Job {job.id}: <strong>{job.status}</strong>
            {job.total === 0 && job.status === 'done' && <span className="muted"> — every prompt already had its K responses</span>}
          </p>
          {job.total > 0 && <ProgressBar done={settled} total={job.total} label="samples" />}
          <p className="muted">
            {job.done} sampled{job.failed > 0 && <>, {job.failed} failed</>}
            {active && rate.perSecond !== null && <> · {rate.perSecond.toFixed(1)} samples/s</>}
            {active && rate.etaSeconds !== null && <> · about {clock(rate.etaSeconds)} left</>}
            {job.duplicates > 0 && <> · {job.duplicates} kept as duplicates after re-sampling</>}
          </p>
          {job.lengthFinishes > 0 && (
            <p className="warn">
              {job.lengthFinishes} response{job.lengthFinishes === 1 ? ' was' : 's were'} cut off at max_tokens (finish reason “length”); raise max_tokens if that is not intended.
            </p>
          )}
          {job.errors.length > 0 && (
            <div className="notice bad-notice">
              <strong>Errors met</strong>
              <ul className="line-list">
                {[...job.errors]
                  .sort((a, b) => b.at.localeCompare(a.at))
                  .slice(0, 8)
                  .map((e) => (
                    <li key={e.message}>
                      {e.count > 1 && <>{e.count}× </>}
                      {e.message}
                      {e.externalId && <span className="muted"> (prompt {e.externalId})</span>}
                    </li>
                  ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

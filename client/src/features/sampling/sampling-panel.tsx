import { useQuery } from '@tanstack/react-query';
import { projectOptions } from '../../api/queries.ts';
import { latestJobOptions, samplingSettingsOptions } from '../../api/sampling-queries.ts';
import { SettingsForm } from './sampling-settings-form.tsx';
import { JobControls } from './sampling-job.tsx';

/**
 * The lead's sampling controls on the project dashboard: where to sample from and how, a connection test,
 * and the job with live progress (server-sent events), rate, time left, recent errors and cancel.
 */
export function SamplingPanel({ projectId }: { projectId: number }) {
  const project = useQuery(projectOptions(projectId));
  const settings = useQuery(samplingSettingsOptions(projectId));
  const latest = useQuery(latestJobOptions(projectId));
  const k = project.data?.responsesPerPrompt ?? 0;
  if (project.data && project.data.myRole !== 'lead') return null;
  return (
    <section className="card stack" aria-labelledby="sampling-title">
      <h2 id="sampling-title">Sample responses</h2>
      <p className="muted hint">
        The server asks your SFT model(s) for the missing responses of every prompt, {k || 'K'} per prompt, over the OpenAI chat completions protocol (vLLM,
        SGLang, TGI, llama.cpp, Ollama, OpenAI). Labelers never see which model wrote what.
      </p>
      {settings.isPending || project.isPending ? (
        <p className="muted">Loading…</p>
      ) : settings.isError ? (
        <p className="error">{settings.error.message}</p>
      ) : (
        <SettingsForm projectId={projectId} k={k} saved={settings.data} />
      )}
      {settings.data && <JobControls projectId={projectId} job={latest.data ?? null} />}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { projectOptions } from '../../api/queries.ts';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { Markdown } from '../../components/markdown.tsx';
import { ImportPanel } from './import-panel.tsx';
import { AddMember, RemoveMember } from './add-member.tsx';
import { ProjectInvite } from '../account/project-invite.tsx';
import { SamplingPanel } from '../sampling/sampling-panel.tsx';
import { WebhooksPanel } from '../webhooks/webhooks-panel.tsx';
import { QualityCard } from './quality-card.tsx';
import type { ProjectWithProgress } from '../../../../shared/projects.ts';

// Often enough that a lead watching the page sees labeling happen, rarely enough to cost nothing.
const refreshMs = 5_000;

/** The lead's dashboard: settings, progress, who labels how much, import, members, sampling and webhooks. */
export function ProjectPage() {
  const id = Number(useParams().id);
  const project = useQuery({ ...projectOptions(id), refetchInterval: refreshMs });
  if (project.isPending) return <main className="page"><p className="muted">Loading…</p></main>;
  if (project.isError) return <main className="page"><p className="error">{project.error.message}</p></main>;
  const p = project.data;
  if (p.myRole !== 'lead') {
    return (
      <main className="page">
        <h1>{p.name}</h1>
        <p className="muted">This dashboard is for the project's leads.</p>
        <p><Link className="button primary" to={`/projects/${id}/label`}>Start ranking</Link></p>
      </main>
    );
  }
  return (
    <main className="page dashboard">
      <header className="stack" style={{ gap: '0.35rem' }}>
        <div className="row">
          <h1>{p.name}</h1>
          <span className="spacer" />
          <nav className="row page-links" aria-label="Project pages">
            <Link className="button primary" to={`/projects/${id}/label`}>Rank</Link>
            <Link className="button" to={`/projects/${id}/results`}>Results</Link>
            <Link className="button" to={`/projects/${id}/review`}>Review</Link>
            <Link className="button" to={`/projects/${id}/agreement`}>Agreement</Link>
            <Link className="button" to={`/projects/${id}/leaderboard`}>Leaderboard</Link>
            <Link className="button" to={`/projects/${id}/export`}>Export</Link>
          </nav>
        </div>
        <div className="row settings">
          <span className="pill" title="responses per prompt">K = {p.responsesPerPrompt}</span>
          <span className="pill" title="labelers per prompt">R = {p.labelersPerPrompt}</span>
          <span className="pill">{p.allowTies ? 'ties allowed' : 'no ties'}</span>
          <span className="pill">lease {p.leaseMinutes} min</span>
          {p.criteria.length > 1 && (
            <span className="pill" title="ranked once per criterion, in this order (weight in the combined order)" data-testid="criteria-pill">
              by {p.criteria.map((c) => (c.weight === 1 ? c.name : `${c.name} ×${c.weight}`)).join(', ')}
            </span>
          )}
          <span className="muted">created {new Date(p.createdAt).toLocaleDateString()}</span>
        </div>
      </header>
      <div className="dashboard-grid">
        <ProgressCard project={p} updatedAt={project.dataUpdatedAt} />
        <LabelersCard project={p} />
      </div>
      <QualityCard project={p} />
      <ImportPanel projectId={id} k={p.responsesPerPrompt} />
      <SamplingPanel projectId={id} />
      <WebhooksPanel projectId={id} />
      {p.guidelines.trim() !== '' && (
        <details className="card">
          <summary><strong>Guidelines</strong> <span className="muted">(as labelers see them)</span></summary>
          <Markdown text={p.guidelines} />
        </details>
      )}
    </main>
  );
}

function ProgressCard({ project, updatedAt }: { project: ProjectWithProgress; updatedAt: number }) {
  const g = project.progress;
  const unrankable = g.prompts - g.rankablePrompts;
  return (
    <section className="card stack" aria-labelledby="progress-title">
      <div className="row">
        <h2 id="progress-title">Progress</h2>
        <span className="spacer" />
        <span className="muted hint" title="refreshes every few seconds">updated {new Date(updatedAt).toLocaleTimeString()}</span>
      </div>
      <ProgressBar done={g.rankingsDone} total={g.rankingsNeeded} label="rankings" />
      <dl className="progress-stats">
        <div><dt>Prompts</dt><dd data-stat="prompts">{g.prompts}</dd></div>
        <div>
          <dt>Rankable</dt>
          <dd data-stat="rankable">{g.rankablePrompts}</dd>
          {unrankable > 0 && <span className="hint warn">{unrankable} without all {project.responsesPerPrompt} responses</span>}
        </div>
        <div title={`prompts with ${project.labelersPerPrompt} counted rankings (or more, where a lead asked for more); excluded labelers and rankings do not count`}>
          <dt>Complete</dt><dd data-stat="complete">{g.completePrompts}</dd>
        </div>
        <div title="counted rankings / rankings wanted">
          <dt>Rankings</dt><dd data-stat="rankings">{g.rankingsDone} / {g.rankingsNeeded}</dd>
        </div>
        <div><dt>Open leases</dt><dd data-stat="open">{g.openAssignments}</dd></div>
      </dl>
    </section>
  );
}

function LabelersCard({ project }: { project: ProjectWithProgress }) {
  const labelers = project.progress.labelers;
  return (
    <section className="card stack" aria-labelledby="labelers-title">
      <h2 id="labelers-title">Labelers</h2>
      {labelers.length === 0 ? (
        <p className="muted">No labelers yet: add the people who will rank.</p>
      ) : (
        <table className="dense">
          <thead>
            <tr><th>Labeler</th><th className="num">Rankings</th><th className="num">Skips</th><th /></tr>
          </thead>
          <tbody>
            {labelers.map((l) => (
              <tr key={l.userId} data-labeler={l.username}>
                <td>
                  {l.username}
                  {l.excluded && (
                    <>
                      {' '}
                      <span className="pill" title="excluded by a lead: their rankings do not count and they get no new tasks">
                        excluded
                      </span>
                    </>
                  )}
                  {l.paused !== null && (
                    <>
                      {' '}
                      <span className="pill warn" title={l.paused}>paused</span>
                    </>
                  )}
                </td>
                <td className="num">{l.rankings}</td>
                <td className="num">{l.skips}</td>
                <td><RemoveMember projectId={project.id} userId={l.userId} username={l.username} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddMember projectId={project.id} />
      <ProjectInvite projectId={project.id} />
    </section>
  );
}

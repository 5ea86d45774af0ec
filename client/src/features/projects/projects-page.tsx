import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { projectsOptions } from '../../api/queries.ts';
import { ProgressBar } from '../../components/progress-bar.tsx';

export function ProjectsPage() {
  const projects = useQuery(projectsOptions());
  return (
    <main className="page">
      <div className="row">
        <h1>Projects</h1>
      </div>
      {projects.isPending && <p className="muted">Loading…</p>}
      {projects.error && <p className="error">{projects.error.message}</p>}
      {projects.data?.length === 0 && <p className="muted">No projects yet.</p>}
      <div className="grid-cards">
        {projects.data?.map((p) => (
          <article key={p.id} className="card stack">
            <h2>{p.name}</h2>
            <ProgressBar done={p.progress.rankingsDone} total={p.progress.rankingsNeeded} label="rankings" />
            <p className="muted">
              {p.progress.prompts} prompts · K = {p.responsesPerPrompt} · R = {p.labelersPerPrompt}
            </p>
            <div className="row">
              <Link className="button primary" to={`/projects/${p.id}/label`}>Start ranking</Link>
              {p.myRole === 'lead' && <Link className="button" to={`/projects/${p.id}`}>Dashboard</Link>}
            </div>
          </article>
        ))}
      </div>
    </main>
  );
}

import { lazy, Suspense, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { meOptions, projectsOptions } from '../../api/queries.ts';
import { ProgressBar } from '../../components/progress-bar.tsx';

// Only leads and admins open it, rarely: the form (criteria fields included) stays out of the first chunk labelers load.
const NewProjectForm = lazy(() => import('./new-project-form.tsx').then((m) => ({ default: m.NewProjectForm })));

export function ProjectsPage() {
  const projects = useQuery(projectsOptions());
  const me = useQuery(meOptions());
  const [creating, setCreating] = useState(false);
  const mayCreate = me.data?.role === 'admin' || me.data?.role === 'lead';
  return (
    <main className="page">
      <div className="row">
        <h1>Projects</h1>
        <span className="spacer" />
        {mayCreate && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New project
          </button>
        )}
      </div>
      {creating && (
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <NewProjectForm onCancel={() => setCreating(false)} />
        </Suspense>
      )}
      {projects.isPending && <p className="muted">Loading…</p>}
      {projects.error && <p className="error">{projects.error.message}</p>}
      {projects.data?.length === 0 &&
        (mayCreate ? (
          <p className="muted">No projects yet: create one with New project.</p>
        ) : (
          <div className="card stack" data-empty="no-projects">
            <p>You are not on any project yet.</p>
            <p className="muted">
              A project lead or an admin adds labelers to a project, on its dashboard under Members. Ask yours to add
              {me.data ? <> the account <strong>{me.data.username}</strong></> : ' you'}; the project then appears here.
            </p>
          </div>
        ))}
      <div className="grid-cards">
        {projects.data?.map((p) => (
          <article key={p.id} className="card stack">
            <h2>
              {/* The name leads where its owner mostly goes: a lead to the dashboard, a labeler to ranking. */}
              <Link className="title-link" to={p.myRole === 'lead' ? `/projects/${p.id}` : `/projects/${p.id}/label`}>
                {p.name}
              </Link>
            </h2>
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

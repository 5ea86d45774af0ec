import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { ApiRequestError } from '../../api/client.ts';
import { counterOptions, nextTaskOptions, projectOptions } from '../../api/queries.ts';
import { RankingTask } from './ranking-task.tsx';
import { GuidelinesPanel } from './guidelines-panel.tsx';

const guidelinesKey = 'podium.label.guidelines-open';
// Where the guidelines stop being a column beside the task and go above it (the stylesheet's breakpoint).
const narrowScreen = '(max-width: 900px)';

/**
 * On a wide screen: open on a labeler's first visit, after that as they left it. On a narrow one they would come
 * before the task and push the first response screens down, so they start folded behind the Guidelines button, and
 * opening them there is not remembered for the wide screen.
 */
function useGuidelinesOpen(): [boolean, () => void] {
  const [open, setOpen] = useState(() => !matchMedia(narrowScreen).matches && localStorage.getItem(guidelinesKey) !== 'false');
  const toggle = () => {
    if (!matchMedia(narrowScreen).matches) localStorage.setItem(guidelinesKey, String(!open));
    setOpen(!open);
  };
  return [open, toggle];
}

export function LabelPage() {
  const projectId = Number(useParams().id);
  const valid = Number.isInteger(projectId) && projectId > 0;
  // The guidelines do not change while a labeler works; no refetch on every visit.
  const project = useQuery({ ...projectOptions(projectId), enabled: valid, staleTime: 5 * 60_000 });
  const task = useQuery({ ...nextTaskOptions(projectId), enabled: valid });
  const counter = useQuery({ ...counterOptions(projectId), enabled: valid });
  const [guidelinesOpen, toggleGuidelines] = useGuidelinesOpen();

  if (!valid) return <main className="page">There is no such project.</main>;

  let body;
  if (task.isPending) body = <p className="muted pad">Fetching your next task…</p>;
  else if (task.isError) {
    const e = task.error;
    if (e instanceof ApiRequestError && e.code === 'excluded')
      body = (
        <div className="card all-done" role="alert" data-testid="excluded">
          <h2>You are excluded from this project</h2>
          <p>
            A lead of this project has excluded you: your rankings here no longer count and no new tasks are given to you. If you think this is a
            mistake, ask the project's lead. <Link to="/projects">Back to the projects</Link>
          </p>
        </div>
      );
    else if (e instanceof ApiRequestError && e.code === 'paused')
      body = (
        <div className="card all-done" role="alert" data-testid="paused">
          <h2>You are paused on this project</h2>
          <p>{e.message.replace(/^you are paused on this project: /, '').replace(/^./, (c) => c.toUpperCase())}.</p>
          <p>
            Your rankings so far are kept. No new tasks are given to you until a lead lifts the pause. <Link to="/projects">Back to the projects</Link>
          </p>
        </div>
      );
    else
      body = (
        <p role="alert" className="error pad">
          {e instanceof ApiRequestError && (e.status === 403 || e.status === 404) ? 'You are not a labeler in this project.' : `Could not fetch a task: ${e.message}`}
        </p>
      );
  } else if (task.data === null)
    body = (
      <div className="card all-done" role="status">
        <h2>Nothing left for you here</h2>
        <p>
          Every prompt you may rank in this project is done or taken. Thank you! <Link to="/projects">Back to the projects</Link>
        </p>
      </div>
    );
  else body = <RankingTask key={task.data.id} projectId={projectId} assignment={task.data} onToggleGuidelines={toggleGuidelines} />;

  const c = counter.data;
  return (
    <main className={guidelinesOpen ? 'label-page with-guidelines' : 'label-page'}>
      <header className="label-head">
        <div>
          <h1>{project.data?.name ?? 'Ranking'}</h1>
        </div>
        <span className="spacer" />
        <dl className="counter" aria-label="Your progress" data-testid="counter">
          <div>
            <dt>Today</dt>
            <dd data-count="doneToday">{c?.doneToday ?? '–'}</dd>
          </div>
          <div>
            <dt>Done</dt>
            <dd data-count="done">{c?.done ?? '–'}</dd>
          </div>
          <div>
            <dt>Left</dt>
            <dd data-count="left">{c?.left ?? '–'}</dd>
          </div>
        </dl>
        {!guidelinesOpen && (
          <button type="button" className="chip" aria-expanded={false} onMouseDown={(e) => e.preventDefault()} onClick={toggleGuidelines} title="Show the guidelines (g)">
            Guidelines <kbd>g</kbd>
          </button>
        )}
      </header>
      <div className="label-body">
        <div className="label-main">{body}</div>
        {guidelinesOpen && <GuidelinesPanel text={project.data?.guidelines} criteria={project.data?.criteria} onClose={toggleGuidelines} />}
      </div>
    </main>
  );
}

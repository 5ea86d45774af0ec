import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'wouter';
import { projectOptions, resultsOptions } from '../../api/queries.ts';
import { PromptResultCard } from './prompt-result.tsx';
import { counted } from '../../components/counted.ts';

const pageSize = 10;

/** Ranked prompts, a page at a time: the consensus and every labeler's ranks side by side. */
export function ResultsPage() {
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const offset = (page - 1) * pageSize;
  const project = useQuery(projectOptions(id));
  const results = useQuery({ ...resultsOptions(id, offset, pageSize), placeholderData: (previous) => previous });
  const total = results.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const goTo = (n: number) => {
    setParams(n === 1 ? {} : { page: String(n) });
    window.scrollTo(0, 0);
  };
  const pager = (
    <nav className="row pager" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => goTo(page - 1)}>← Previous</button>
      <span className="muted">
        page {page} of {pages}
      </span>
      <button type="button" disabled={page >= pages} onClick={() => goTo(page + 1)}>Next →</button>
    </nav>
  );
  return (
    <main className="page results-page">
      <div className="row">
        <h1>Results{project.data ? `: ${project.data.name}` : ''}</h1>
        <span className="spacer" />
        <Link to={`/projects/${id}`}>← Dashboard</Link>
      </div>
      {results.isPending && <p className="muted">Loading…</p>}
      {results.isError && <p className="error">{results.error.message}</p>}
      {results.data && (
        <>
          <div className="row">
            <span className="muted">
              {counted(total, 'ranked prompt')}
              {total > 0 && ` · showing ${offset + 1}–${Math.min(offset + pageSize, total)}`}
            </span>
            <span className="spacer" />
            <span className="muted hint legend">
              a labeler's rank vs the mean: <span className="swatch" /> close <span className="swatch" style={{ background: 'rgba(220, 38, 38, 0.2)' }} /> off{' '}
              <span className="swatch" style={{ background: 'rgba(220, 38, 38, 0.5)' }} /> far off · struck through: not counted
            </span>
            {pages > 1 && pager}
          </div>
          {total === 0 && <p className="muted">Nothing ranked yet.</p>}
          {results.data.results.map((r) => (
            <PromptResultCard key={r.promptId} result={r} k={project.data?.responsesPerPrompt ?? r.responses.length} />
          ))}
          {pages > 1 && results.data.results.length > 2 && pager}
        </>
      )}
    </main>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'wouter';
import { projectOptions, resultsOptions } from '../../api/queries.ts';
import { PromptResultCard } from './prompt-result.tsx';
import { counted } from '../../components/counted.ts';
import { CriterionSelect, useCriterionParam } from '../../components/criterion-select.tsx';
import { combinedCriterion } from '../../components/criterion-choice.ts';
import { SourcesSelect, useSourcesParam } from '../../components/sources-select.tsx';

const pageSize = 10;

/** Ranked prompts, a page at a time: the consensus and every labeler's ranks side by side. */
export function ResultsPage() {
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const offset = (page - 1) * pageSize;
  const project = useQuery(projectOptions(id));
  const [criterion, setCriterion] = useCriterionParam(project.data?.criteria, true);
  const [sources, setSources, hasJudges] = useSourcesParam(id);
  const results = useQuery({ ...resultsOptions(id, offset, pageSize, criterion, sources), placeholderData: (previous) => previous });
  const total = results.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const goTo = (n: number) => {
    const next = new URLSearchParams(params);
    if (n === 1) next.delete('page');
    else next.set('page', String(n));
    setParams(next);
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
        <SourcesSelect hasJudges={hasJudges} value={sources} onChange={setSources} />
        <CriterionSelect criteria={project.data?.criteria} value={criterion} onChange={setCriterion} allowCombined />
        <Link to={`/projects/${id}`}>← Dashboard</Link>
      </div>
      {criterion === combinedCriterion && project.data && (
        <p className="muted hint" data-testid="combined-note">
          Combined: each response by the weighted mean of its mean ranks under{' '}
          {project.data.criteria.map((c) => `${c.name} (×${c.weight})`).join(', ')}; each labeler's (and judge's) column is their own ranks combined the same way.
        </p>
      )}
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

import { Fragment } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'wouter';
import { projectOptions } from '../../api/queries.ts';
import { reviewListOptions } from '../../api/review-queries.ts';
import type { ReviewRow, ReviewSort } from '../../../../shared/review.ts';
import { reviewSorts } from '../../../../shared/review-sorts.ts';
import { ReviewPromptPanel } from './review-prompt.tsx';
import './review.css';
import { counted } from '../../components/counted.ts';
import { CriterionSelect } from '../../components/criterion-select.tsx';
import { chosenCriterion } from '../../components/criterion-choice.ts';

const pageSize = 25;

const sortLabels: Record<ReviewSort, string> = {
  w: "lowest Kendall's W",
  disagreement: 'lowest pairwise agreement',
  flags: 'most flagged rankings',
  'not-rankable': 'most "not rankable"',
  prompt: 'prompt order',
};

const fixed = (v: number | null) => (v === null ? '–' : v.toFixed(2));

/** Disputed prompts first: each opens to every labeler's ranking beside the responses, with the actions that settle it. */
export function ReviewPage() {
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const sort = (reviewSorts as readonly string[]).includes(params.get('sort') ?? '') ? (params.get('sort') as ReviewSort) : 'w';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const open = Number(params.get('prompt')) || null;
  const project = useQuery(projectOptions(id));
  const criterion = chosenCriterion(params.get('criterion'), project.data?.criteria, true);
  const list = useQuery(reviewListOptions(id, sort, (page - 1) * pageSize, pageSize, criterion));
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const update = (next: { sort?: ReviewSort; page?: number; prompt?: number | null; criterion?: string }) => {
    const s = next.sort ?? sort;
    const p = next.page ?? page;
    const o = next.prompt === undefined ? open : next.prompt;
    // The first criterion is the default and stays out of the address.
    const c = next.criterion === undefined ? criterion : next.criterion === project.data?.criteria[0]?.key ? undefined : next.criterion;
    setParams({ ...(s !== 'w' ? { sort: s } : {}), ...(c ? { criterion: c } : {}), ...(p > 1 ? { page: String(p) } : {}), ...(o ? { prompt: String(o) } : {}) });
  };
  return (
    <main className="page review-page">
      <div className="row">
        <h1>Review{project.data ? `: ${project.data.name}` : ''}</h1>
        <span className="spacer" />
        <Link to={`/projects/${id}/agreement`}>Agreement</Link>
        <Link to={`/projects/${id}`}>← Dashboard</Link>
      </div>
      <div className="row review-controls">
        <label className="inline">
          Sort by{' '}
          <select value={sort} onChange={(e) => update({ sort: e.target.value as ReviewSort, page: 1 })} aria-label="Sort prompts by">
            {reviewSorts.map((s) => (
              <option key={s} value={s}>{sortLabels[s]}</option>
            ))}
          </select>
        </label>
        <CriterionSelect criteria={project.data?.criteria} value={criterion} onChange={(c) => update({ criterion: c, page: 1 })} allowCombined />
        <span className="muted">{counted(total, 'ranked prompt')}</span>
        <span className="spacer" />
        {pages > 1 && (
          <nav className="row pager" aria-label="Pages">
            <button type="button" disabled={page <= 1} onClick={() => update({ page: page - 1 })}>← Previous</button>
            <span className="muted">page {page} of {pages}</span>
            <button type="button" disabled={page >= pages} onClick={() => update({ page: page + 1 })}>Next →</button>
          </nav>
        )}
      </div>
      {list.isPending && <p className="muted">Loading…</p>}
      {list.isError && <p className="error">{list.error.message}</p>}
      {list.data && total === 0 && <p className="muted card">Nothing ranked yet.</p>}
      {/* A link from elsewhere (the agreement page's judge disagreements) may name a prompt on another page of the list. */}
      {list.data && open !== null && !list.data.rows.some((r) => r.promptId === open) && (
        <div className="card" data-linked-prompt={open}>
          <ReviewPromptPanel projectId={id} promptId={open} k={project.data?.responsesPerPrompt ?? 0} criterion={criterion} />
        </div>
      )}
      {list.data && total > 0 && (
        <div className="table-scroll card review-table-card">
          <table className="review-table dense">
            <thead>
              <tr>
                <th>Prompt</th>
                <th className="num" title="Kendall's W over the counted rankings">W</th>
                <th className="num" title="pairwise agreement over the counted rankings">Agree</th>
                <th className="num" title="counted rankings / all rankings">Labels</th>
                <th className="num" title="rankings with at least one flag, however many flags each has (open the prompt to see every flag)">
                  Flagged rankings
                </th>
                <th className="num" title='rankings marked "not rankable"'>Not rankable</th>
                <th className="num" title="rankings with a comment (open the prompt to read them, in this page's response letters)">Comments</th>
              </tr>
            </thead>
            <tbody>
              {list.data.rows.map((row) => (
                <Fragment key={row.promptId}>
                  <ReviewListRow row={row} open={row.promptId === open} onToggle={() => update({ prompt: row.promptId === open ? null : row.promptId })} />
                  {row.promptId === open && (
                    <tr className="review-open-row">
                      <td colSpan={7}>
                        <ReviewPromptPanel projectId={id} promptId={row.promptId} k={project.data?.responsesPerPrompt ?? 0} criterion={criterion} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

function ReviewListRow({ row, open, onToggle }: { row: ReviewRow; open: boolean; onToggle: () => void }) {
  // Low W is shaded: the redder, the more the labelers disagree.
  const heat = row.w === null ? undefined : { background: `rgba(220, 38, 38, ${(Math.max(0, 0.6 - row.w) * 0.5).toFixed(2)})` };
  return (
    <tr className={`review-row${open ? ' is-open' : ''}${row.excluded ? ' is-excluded' : ''}`} data-prompt={row.externalId}>
      <td className="review-prompt-cell">
        <button type="button" className="link-button review-open" onClick={onToggle} aria-expanded={open}>
          <span className="mono">{row.externalId}</span>
        </button>{' '}
        <span className="review-preview">{row.preview}</span>
        {row.excluded && <span className="tag">excluded from export</span>}
        {row.extraLabelers > 0 && <span className="tag">+{counted(row.extraLabelers, 'label')} asked</span>}
      </td>
      <td className="num" style={heat}>{fixed(row.w)}</td>
      <td className="num">{row.agreement === null ? '–' : `${Math.round(row.agreement * 100)}%`}</td>
      <td className="num">
        {row.counted}
        {row.counted < row.rankings && <span className="muted">/{row.rankings}</span>}
      </td>
      <td className={row.flagged ? 'num warn' : 'num muted'}>{row.flagged}</td>
      <td className={row.notRankable ? 'num warn' : 'num muted'}>{row.notRankable}</td>
      <td className={row.comments ? 'num' : 'num muted'}>{row.comments}</td>
    </tr>
  );
}

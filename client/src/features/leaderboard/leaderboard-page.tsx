import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { projectOptions } from '../../api/queries.ts';
import { leaderboardOptions } from '../../api/leaderboard-queries.ts';
import { counted } from '../../components/counted.ts';
import { CriterionSelect, useCriterionParam } from '../../components/criterion-select.tsx';
import { SourcesSelect, useSourcesParam } from '../../components/sources-select.tsx';
import { WinRateMatrix } from './win-rate-matrix.tsx';
import type { LeaderboardBy, LeaderboardTable } from '../../../../shared/leaderboard.ts';
import './leaderboard.css';

const byLabels: Record<LeaderboardBy, string> = { model: 'By model', policy: 'By sampling policy' };

/** Which model (or sampling policy) the labelers prefer: Bradley–Terry Elo with 95% intervals, and who beats whom. */
export function LeaderboardPage() {
  const id = Number(useParams().id);
  const [by, setBy] = useState<LeaderboardBy>('model');
  const project = useQuery(projectOptions(id));
  const [criterion, setCriterion] = useCriterionParam(project.data?.criteria, true);
  const [sources, setSources, hasJudges] = useSourcesParam(id);
  const board = useQuery(leaderboardOptions(id, by, undefined, criterion, sources));
  return (
    <main className="page leaderboard-page">
      <div className="row">
        <h1>Leaderboard{project.data ? `: ${project.data.name}` : ''}</h1>
        <span className="spacer" />
        <SourcesSelect hasJudges={hasJudges} value={sources} onChange={setSources} />
        <CriterionSelect criteria={project.data?.criteria} value={criterion} onChange={setCriterion} allowCombined />
        <Link to={`/projects/${id}`}>← Dashboard</Link>
      </div>
      <div className="by-switch" role="group" aria-label="Rank">
        {(Object.keys(byLabels) as LeaderboardBy[]).map((b) => (
          <button key={b} type="button" className="button" aria-pressed={by === b} onClick={() => setBy(b)}>
            {byLabels[b]}
          </button>
        ))}
      </div>
      {board.isPending && <p className="muted">Computing…</p>}
      {board.isError && <p className="error">{board.error.message}</p>}
      {board.data && <LeaderboardBody table={board.data} bootstrap={board.data.bootstrap} by={by} />}
      <p className="muted hint">
        Every counted ranking gives a win, a loss or a tie for each two responses from different {by === 'model' ? 'models' : 'policies'}; the strengths are
        Bradley–Terry fits of those outcomes, Elo = 1000 + 400·strength / ln 10, intervals from resampling prompts. See <code>docs/metrics.md</code>.
      </p>
    </main>
  );
}

function LeaderboardBody({ table, bootstrap, by }: { table: LeaderboardTable; bootstrap: number; by: LeaderboardBy }) {
  if (table.outcomes === 0) {
    return <p className="muted card">No comparisons yet: the leaderboard fills in once a ranked prompt has responses from two different {by === 'model' ? 'models' : 'policies'}.</p>;
  }
  return (
    <>
      <p className="muted" data-summary>
        {counted(table.outcomes, 'pairwise outcome')} from {counted(table.prompts, 'prompt')} · 95% intervals over {counted(bootstrap, 'resample')} of prompts
      </p>
      {!table.connected && (
        <p className="warn card">Some entries were never compared, directly or through others: their Elo scores are not on one scale.</p>
      )}
      <section className="card stack" aria-labelledby="entries-title">
        <h2 id="entries-title">Ranking</h2>
        <div className="table-scroll">
          <table className="leaderboard-table">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>{by === 'model' ? 'Model' : 'Policy'}</th>
                <th className="num">Elo (95% interval)</th>
                <th className="num">Wins</th>
                <th className="num">Losses</th>
                <th className="num">Ties</th>
                <th className="num">Comparisons</th>
              </tr>
            </thead>
            <tbody>
              {table.entries.map((e, i) => (
                <tr key={e.name} data-entry={e.name}>
                  <td className="num">{i + 1}</td>
                  <td className="entry-name">{e.name}</td>
                  <td className="num">
                    <span className="elo" data-elo>{Math.round(e.elo)}</span>
                    <span className="elo-interval">{e.ci ? `${Math.round(e.ci[0])}–${Math.round(e.ci[1])}` : 'no interval'}</span>
                  </td>
                  <td className="num">{e.wins.toLocaleString()}</td>
                  <td className="num">{e.losses.toLocaleString()}</td>
                  <td className="num">{e.ties.toLocaleString()}</td>
                  <td className="num">{e.comparisons.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card stack" aria-labelledby="win-rate-title">
        <h2 id="win-rate-title">Win rate, row against column</h2>
        <WinRateMatrix table={table} />
        <p className="muted hint">The share of their comparisons the row won, a tie counted half; grey: never on one prompt together.</p>
      </section>
    </>
  );
}

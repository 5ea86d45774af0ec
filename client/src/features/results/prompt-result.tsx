import { useState } from 'react';
import type { PromptResult } from '../../../../shared/results.ts';
import { ChatTranscript } from '../../components/chat-transcript.tsx';
import { Markdown } from '../../components/markdown.tsx';
import { formatRank, responseLetter } from './tier-ranks.ts';
import { fractionalRanks } from '../../../../shared/fractional-ranks.ts';
import { counted } from '../../components/counted.ts';
import { commentLetters } from '../../components/comment-letters.ts';

type Ranking = PromptResult['rankings'][number];
type JudgeRanking = NonNullable<PromptResult['judgeRankings']>[number];

/** One ranked prompt: the prompt, the consensus order, and a response × labeler grid of ranks (AI judges after the labelers, when asked for). */
export function PromptResultCard({ result, k }: { result: PromptResult; k: number }) {
  const letters = new Map(result.responses.map((r, i) => [r.id, responseLetter(i)]));
  const byId = new Map(result.responses.map((r) => [r.id, r]));
  // Rows follow the consensus; a response no counted ranking placed (all excluded) goes last.
  const ordered = result.consensus.flat();
  const rows = [...ordered, ...result.responses.map((r) => r.id).filter((id) => !ordered.includes(id))].flatMap((id) => byId.get(id) ?? []);
  const tierOf = new Map(result.consensus.flatMap((tier, i) => tier.map((id) => [id, i] as const)));
  const ranks = result.rankings.map((r) => fractionalRanks(r.ranking));
  const judges = result.judgeRankings ?? [];
  const judgeRanks = judges.map((j) => fractionalRanks(j.ranking));
  // A judge's display orders count as one ranking, like one labeler's (docs/judges.md).
  const countedRankings = result.rankings.filter(counts).length + judges.length;
  const allRankings = result.rankings.length + judges.length;
  const comments = result.rankings.filter((r) => r.comment.trim() !== '');
  return (
    <article className="card stack prompt-result" data-prompt={result.externalId}>
      <div className="row">
        <h2 className="mono">{result.externalId}</h2>
        <span className="muted">
          {counted(countedRankings, 'counted ranking')}
          {countedRankings < allRankings && ` of ${allRankings}`}
        </span>
        <span className="spacer" />
        <span className="consensus" aria-label="Consensus order">
          <span className="muted">consensus </span>
          {result.consensus.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            result.consensus.map((tier, i) => (
              <span key={i}>
                {i > 0 && <span className="muted"> &gt; </span>}
                {tier.map((id) => letters.get(id)).join(' = ')}
              </span>
            ))
          )}
        </span>
      </div>
      <ChatTranscript messages={result.messages} />
      <div className="table-scroll">
        <table className="rank-grid">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Response</th>
              <th className="num">Mean</th>
              {result.rankings.map((r) => (
                <th key={r.rankingId} className={counts(r) ? 'num labeler-col' : 'num labeler-col not-counted'} title={rankingNote(r)}>
                  {r.username}
                  {r.excluded && <div className="col-tag">excluded</div>}
                  {r.notRankable && <div className="col-tag warn">not rankable</div>}
                  {r.durationMs !== null && <div className="hint muted">{formatDuration(r.durationMs)}</div>}
                </th>
              ))}
              {judges.map((j) => (
                <JudgeHeader key={`judge-${j.judgeId}`} judge={j} />
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((resp) => {
              const tier = tierOf.get(resp.id);
              const tied = tier !== undefined && (result.consensus[tier]?.length ?? 0) > 1;
              return (
                <tr key={resp.id}>
                  <td className="num">{tier === undefined ? '–' : `${tier + 1}${tied ? '=' : ''}`}</td>
                  <td className="response-cell">
                    <div className="row response-head">
                      <strong>{letters.get(resp.id)}</strong>
                      {resp.model && <span className="muted hint">{resp.model}</span>}
                    </div>
                    <ResponseText text={resp.text} />
                  </td>
                  <td className="num mean">{formatRank(resp.meanRank)}</td>
                  {result.rankings.map((r, i) => (
                    <RankCell key={r.rankingId} counted={counts(r)} rank={ranks[i]?.get(resp.id)} mean={resp.meanRank} k={k} flags={r.flags[String(resp.id)] ?? []} />
                  ))}
                  {judges.map((j, i) => (
                    <RankCell key={`judge-${j.judgeId}`} counted rank={judgeRanks[i]?.get(resp.id)} mean={resp.meanRank} k={k} flags={[]} />
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {comments.length > 0 && (
        <ul className="comments">
          {comments.map((r) => (
            <li key={r.rankingId}>
              <strong>{r.username}</strong>
              {!counts(r) && <span className="muted"> ({r.excluded ? 'excluded' : 'not rankable'})</span>}: <CommentText ranking={r} letters={letters} />
              <LetterKey ranking={r} letters={letters} />
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** The comment with each response letter the labeler wrote shown as this page's letter ("B→C" where they differ). */
function CommentText({ ranking, letters }: { ranking: Ranking; letters: ReadonlyMap<number, string> }) {
  return (
    <>
      {commentLetters(ranking.comment, ranking.shownOrder, letters).map((part, i) =>
        'text' in part ? (
          part.text
        ) : part.theirs === part.ours ? (
          <strong key={i} className="comment-letter">{part.ours}</strong>
        ) : (
          <strong key={i} className="comment-letter" title={`${ranking.username}’s ${part.theirs} is ${part.ours} on this page`}>
            <span className="muted">{part.theirs}→</span>
            {part.ours}
          </strong>
        ),
      )}
    </>
  );
}

/**
 * Each labeler saw the responses in their own shuffled order and lettered them A, B, … in that order; their comment
 * uses those letters. This says which response each of their letters is on this page.
 */
function LetterKey({ ranking, letters }: { ranking: Ranking; letters: ReadonlyMap<number, string> }) {
  const pairs = ranking.shownOrder.map((id, i) => [responseLetter(i), letters.get(id) ?? '?'] as const);
  if (pairs.every(([theirs, ours]) => theirs === ours)) return null;
  return (
    <div className="hint muted letter-key">
      {ranking.username}&rsquo;s letters: {pairs.map(([theirs, ours]) => `${theirs} = ${ours}`).join(', ')}
    </div>
  );
}

/** A judge's column head: named, and tagged so its ranks are never read as a labeler's. */
function JudgeHeader({ judge }: { judge: JudgeRanking }) {
  const orders = judge.orders.length;
  return (
    <th className="num labeler-col judge-col" data-judge={judge.name} title={`AI judge: the consensus of its ${orders === 1 ? 'one display order' : `${orders} display orders`}`}>
      {judge.name}
      <div className="col-tag">AI judge</div>
    </th>
  );
}

function counts(r: Ranking): boolean {
  return !r.excluded && !r.notRankable;
}

function rankingNote(r: Ranking): string {
  if (r.excluded) return 'this labeler is excluded: the ranking does not count';
  if (r.notRankable) return 'marked not rankable: the ranking does not count';
  return '';
}

/**
 * A labeler's rank for one response, shaded by how far it is from the mean: half the rank range
 * away is full colour, so a labeler who put the consensus best near the bottom stands out.
 */
function RankCell({ counted, rank, mean, k, flags }: { counted: boolean; rank: number | undefined; mean: number | null; k: number; flags: readonly string[] }) {
  const distance = rank !== undefined && mean !== null ? Math.abs(rank - mean) : 0;
  const strength = counted ? Math.min(1, distance / Math.max(1, (k - 1) / 2)) : 0;
  // Convex, so a quarter-rank wobble stays pale and a real dispute is loud.
  const style = strength >= 0.15 ? { background: `rgba(220, 38, 38, ${(0.05 + strength ** 1.5 * 0.45).toFixed(2)})` } : undefined;
  return (
    <td
      className={counted ? 'num rank-cell' : 'num rank-cell not-counted'}
      style={style}
      title={rank !== undefined && mean !== null ? `rank ${formatRank(rank)}, mean ${formatRank(mean)} (off by ${formatRank(Math.round(distance * 100) / 100)})` : undefined}
    >
      {rank === undefined ? '–' : formatRank(rank)}
      {flags.map((f) => (
        <div key={f} className="rank-flag">{f}</div>
      ))}
    </td>
  );
}

// About four lines; longer answers fold so a page of prompts stays scannable.
const foldAfterChars = 320;

function ResponseText({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const long = text.length > foldAfterChars || text.split('\n').length > 4;
  return (
    <div className="response-text">
      <div className={long && !open ? 'folded' : undefined}>
        <Markdown text={text} />
      </div>
      {long && (
        <button type="button" className="link-button" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'show less' : 'show all'}
        </button>
      )}
    </div>
  );
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

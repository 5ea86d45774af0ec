import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { projectKeys } from '../../api/queries.ts';
import { reviewPromptOptions, sendBackForLabels, setPromptExcluded, setRankingExcluded } from '../../api/review-queries.ts';
import type { ReviewPrompt } from '../../../../shared/review.ts';
import { PromptResultCard } from '../results/prompt-result.tsx';
import { ReasonButton } from './reason-button.tsx';
import { GoldControl } from './gold-control.tsx';
import { counted } from '../../components/counted.ts';

// The pool's own rule: a labeler is offered a prompt once, and never while excluded.
const nobodyLeft = 'Every labeler of this project who is not excluded has already ranked, skipped or taken this prompt';

/** One prompt under review: its figures, the actions on it, and the results page's side-by-side card. */
export function ReviewPromptPanel({ projectId, promptId, k, criterion }: { projectId: number; promptId: number; k: number; criterion: string | undefined }) {
  const prompt = useQuery(reviewPromptOptions(projectId, promptId, criterion));
  const queryClient = useQueryClient();
  // Any action changes the figures, results, review and export of the project.
  const refresh = () => queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId) });
  const sendBack = useMutation({ mutationFn: () => sendBackForLabels(projectId, promptId), onSuccess: refresh });
  const include = useMutation({ mutationFn: () => setPromptExcluded(projectId, promptId, { excluded: false }), onSuccess: refresh });
  if (prompt.isPending) return <p className="muted">Loading…</p>;
  if (prompt.isError) return <p className="error">{prompt.error.message}</p>;
  const p = prompt.data;
  const wanted = p.labelersPerPrompt + p.extraLabelers;
  const excludedLabelers = new Set(p.excludedLabelers);
  // The card marks a ranking as not counted by its `excluded`; a labeler excluded project-wide does not count either.
  // A gold prompt's rankings are tests of their labelers, never data (docs/quality.md).
  const forCard = { ...p, rankings: p.rankings.map((r) => ({ ...r, excluded: r.excluded || excludedLabelers.has(r.userId) || p.gold !== null })) };
  return (
    <div className="review-panel stack" data-open-prompt={p.externalId}>
      <div className="row review-actions">
        <span className="pill">W {p.w === null ? '–' : p.w.toFixed(2)}</span>
        <span className="pill">agreement {p.agreement === null ? '–' : `${Math.round(p.agreement * 100)}%`}</span>
        <span className="muted" data-testid="labels-wanted">
          {p.keptRankings} of {counted(wanted, 'label')} wanted ({p.labelersPerPrompt} per prompt{p.extraLabelers ? ` + ${p.extraLabelers} asked for` : ''})
        </span>
        <span className="spacer" />
        <button
          type="button"
          onClick={() => sendBack.mutate()}
          disabled={sendBack.isPending}
          title={p.openToLabelers > 0 ? `Offer this prompt to one more labeler: ${counted(p.openToLabelers, 'labeler')} of the project can take it` : nobodyLeft}
        >
          Send back for more labels
        </button>
        {p.excluded ? (
          <button type="button" onClick={() => include.mutate()} disabled={include.isPending}>
            Include in export again
          </button>
        ) : (
          <ReasonButton
            label="Exclude from export"
            confirmLabel="Exclude prompt"
            onConfirm={async (reason) => {
              await setPromptExcluded(projectId, promptId, { excluded: true, reason });
              await refresh();
            }}
          />
        )}
      </div>
      {sendBack.data &&
        (sendBack.data.openToLabelers > 0 ? (
          <p className="ok" role="status">
            Sent back: it is offered to one more labeler ({counted(sendBack.data.openToLabelers, 'labeler')} of the project can take it).
          </p>
        ) : (
          <p className="notice" role="status" data-testid="nobody-left">
            Nobody can take it now: {nobodyLeft.toLowerCase()}. The extra place stays open for a labeler you add on the dashboard.
          </p>
        ))}
      {!sendBack.data && !p.excluded && p.gold === null && p.keptRankings < wanted && (
        <p className="notice" data-testid="places-open">
          Needs {counted(wanted - p.keptRankings, 'more label')}:{' '}
          {p.openToLabelers > 0 ? `offered to ${p.openToLabelers === 1 ? 'the one labeler who has' : `the ${p.openToLabelers} labelers who have`} not had it yet.` : `${nobodyLeft.toLowerCase()}; add a labeler on the dashboard.`}
        </p>
      )}
      {(sendBack.isError || include.isError) && <p className="error">{(sendBack.error ?? include.error)?.message}</p>}
      {p.excluded && <p className="notice">This prompt is excluded from the export and the figures; the ranks below are shown for review.</p>}
      <GoldControl projectId={projectId} prompt={p} />
      {p.gold !== null && <p className="notice">A gold prompt: labelers meet it now and then and are scored against its known order; its rankings are not data.</p>}
      <PromptResultCard result={forCard} k={k || p.responses.length} />
      <RankingList projectId={projectId} prompt={p} excludedLabelers={excludedLabelers} onChange={refresh} />
    </div>
  );
}

/** Each ranking with its state and a switch to leave just that ranking out (a slip, a mis-click) or count it again. */
function RankingList({ projectId, prompt, excludedLabelers, onChange }: { projectId: number; prompt: ReviewPrompt; excludedLabelers: Set<number>; onChange: () => Promise<void> }) {
  return (
    <ul className="ranking-switches">
      {prompt.rankings.map((r) => (
        <li key={r.rankingId} className="row" data-ranking-of={r.username}>
          <strong>{r.username}</strong>
          {r.notRankable && <span className="tag warn">not rankable</span>}
          {excludedLabelers.has(r.userId) && <span className="tag">labeler excluded</span>}
          {r.excluded && <span className="tag">ranking excluded</span>}
          <span className="spacer" />
          {r.excluded ? (
            <button
              type="button"
              onClick={async () => {
                await setRankingExcluded(projectId, r.rankingId, { excluded: false });
                await onChange();
              }}
            >
              Count this ranking again
            </button>
          ) : (
            <ReasonButton
              label="Exclude this ranking"
              confirmLabel={`Exclude ${r.username}'s ranking`}
              onConfirm={async (reason) => {
                await setRankingExcluded(projectId, r.rankingId, { excluded: true, reason });
                await onChange();
              }}
            />
          )}
        </li>
      ))}
    </ul>
  );
}

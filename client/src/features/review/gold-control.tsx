import { useMutation, useQueryClient } from '@tanstack/react-query';
import { projectKeys } from '../../api/queries.ts';
import { clearGold, setGold } from '../../api/quality-queries.ts';
import type { ReviewPrompt } from '../../../../shared/review.ts';

/**
 * A lead makes a reviewed prompt gold, with its consensus as the known order, or clears it (docs/quality.md). Its
 * rankings so far then stop counting as data and are not gold answers either: later labelers are scored against it.
 */
export function GoldControl({ projectId, prompt }: { projectId: number; prompt: ReviewPrompt }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId) });
  const make = useMutation({ mutationFn: () => setGold(projectId, prompt.promptId, prompt.consensus), onSuccess: refresh });
  const clear = useMutation({ mutationFn: () => clearGold(projectId, prompt.promptId), onSuccess: refresh });
  const letter = new Map(prompt.responses.map((r, i) => [r.id, String.fromCharCode(65 + i)]));
  const error = make.error ?? clear.error;
  return (
    <div className="row" data-testid="gold-control">
      {prompt.gold ? (
        <>
          <span className="pill" title="a gold prompt tests labelers; its rankings are not data">
            gold: {prompt.gold.map((tier) => tier.map((id) => letter.get(id) ?? id).join(' = ')).join(' > ')}
          </span>
          <button type="button" onClick={() => clear.mutate()} disabled={clear.isPending}>
            Clear gold
          </button>
        </>
      ) : (
        <button
          type="button"
          onClick={() => make.mutate()}
          disabled={make.isPending || prompt.consensus.length === 0}
          title="Use the consensus below as this prompt's known order: labelers who meet it from now on are scored against it, and its rankings leave the data"
        >
          Make gold from consensus
        </button>
      )}
      {error && <span className="error" role="alert">{error.message}</span>}
    </div>
  );
}

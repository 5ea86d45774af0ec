import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accountKeys, revokeUserToken, userTokensOptions } from '../../api/account-queries.ts';

/** One account's API tokens as an admin sees them (names and use, never the secret), each revocable. */
export function UserTokens({ userId, username }: { userId: number; username: string }) {
  const tokens = useQuery(userTokensOptions(userId));
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (tokenId: number) => revokeUserToken(userId, tokenId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.userTokens(userId) }),
  });
  if (tokens.isPending) return <span className="muted">Loading…</span>;
  if (tokens.isError) return <span role="alert" className="error">{tokens.error.message}</span>;
  const live = tokens.data.filter((t) => t.revokedAt === null);
  if (live.length === 0) return <span className="muted">No live tokens.</span>;
  return (
    <ul className="token-list" aria-label={`API tokens of ${username}`}>
      {live.map((t) => (
        <li key={t.id} className="row">
          <span>{t.name}</span>
          <span className="muted">{t.lastUsedAt ? `used ${new Date(t.lastUsedAt).toLocaleString()}` : 'never used'}</span>
          <button type="button" onClick={() => revoke.mutate(t.id)} disabled={revoke.isPending && revoke.variables === t.id}>
            Revoke
          </button>
        </li>
      ))}
      {revoke.error && <li role="alert" className="error">{revoke.error.message}</li>}
    </ul>
  );
}

import type { LeaderboardTable } from '../../../../shared/leaderboard.ts';

/** Diverging around an even split: green where the row wins more often than not, red where it loses, grey where never compared. */
export function winRateColor(rate: number | undefined): string {
  if (rate === undefined) return '#eef0f4';
  const d = Math.max(-0.5, Math.min(0.5, rate - 0.5)) * 2;
  return d < 0 ? `rgba(220, 38, 38, ${(0.1 + -d * 0.75).toFixed(2)})` : `rgba(21, 128, 61, ${(0.1 + d * 0.75).toFixed(2)})`;
}

/** Row beats column this share of their comparisons (a tie half), entries in leaderboard order. */
export function WinRateMatrix({ table }: { table: LeaderboardTable }) {
  const names = table.entries.map((e) => e.name);
  return (
    <div className="table-scroll">
      <table className="win-rate">
        <thead>
          <tr>
            <td />
            {/* Columns by place (names can be long): "#2" is the second row's entry, its name in the tooltip and for screen readers. */}
            {names.map((name, i) => (
              <th key={name} scope="col" title={name} aria-label={name}>
                #{i + 1}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {names.map((a, i) => (
            <tr key={a}>
              <th scope="row">
                <span className="muted">#{i + 1}</span> {a}
              </th>
              {names.map((b) => {
                if (a === b) return <td key={b} className="win-rate-self" aria-label="itself" />;
                const rate = table.winRate[a]?.[b];
                const strong = rate !== undefined && Math.abs(rate - 0.5) > 0.3;
                return (
                  <td
                    key={b}
                    data-pair={`${a}:${b}`}
                    style={{ background: winRateColor(rate), color: strong ? '#ffffff' : undefined }}
                    title={rate === undefined ? `${a} and ${b} were never compared` : `${a} beats ${b} in ${Math.round(rate * 100)}% of their comparisons`}
                  >
                    {rate === undefined ? '–' : `${Math.round(rate * 100)}%`}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

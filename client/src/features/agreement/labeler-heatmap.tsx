import { fixed } from './format.ts';
import { counted } from '../../components/counted.ts';

/** Diverging: red for labelers who order responses oppositely (τ-b < 0), white for none, green for the same order. */
export function tauColor(tau: number | null): string {
  if (tau === null) return '#eef0f4';
  const t = Math.max(-1, Math.min(1, tau));
  return t < 0 ? `rgba(220, 38, 38, ${(0.15 + -t * 0.75).toFixed(2)})` : `rgba(21, 128, 61, ${(0.1 + t * 0.8).toFixed(2)})`;
}


/**
 * Labeler × labeler mean tau-b over the prompts both ranked, grey where they share none. A table
 * coloured as a heatmap rather than a chart: every figure is printed where it is read, and a screen
 * reader announces each cell with its row and column labeler.
 */
export function LabelerHeatmap({ names, meanTauB, prompts }: { names: string[]; meanTauB: (number | null)[][]; prompts: number[][] }) {
  return (
    <div className="table-scroll">
      <table className="heatmap">
        <thead>
          <tr>
            <td />
            {names.map((name) => (
              <th key={name} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {names.map((a, i) => (
            <tr key={a}>
              <th scope="row">{a}</th>
              {names.map((b, j) => {
                if (i === j) return <td key={b} className="heatmap-self" aria-label="same labeler" />;
                const tau = meanTauB[i]?.[j] ?? null;
                const n = prompts[i]?.[j] ?? 0;
                return (
                  <td
                    key={b}
                    data-pair={`${a}:${b}`}
                    style={{ background: tauColor(tau), color: tau !== null && Math.abs(tau) > 0.55 ? '#ffffff' : undefined }}
                    title={`${a} vs ${b}: τ-b ${fixed(tau)} over ${counted(n, 'prompt')}`}
                  >
                    <span className="heatmap-tau">{fixed(tau)}</span>
                    <span className="heatmap-n">{counted(n, 'prompt')}</span>
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

import { counted } from '../../components/counted.ts';
import { countAxis } from './count-axis.ts';

const labels = Array.from({ length: 10 }, (_, i) => `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`);

// Redder towards W = 0, where labelers disagree most.
const binColor = (i: number) => `hsl(${Math.round(8 + i * 13)}, 70%, ${62 - i * 1.5}%)`;

const percentOf = (n: number, top: number) => `${((n / top) * 100).toFixed(2)}%`;

/**
 * How W spreads over prompts: ten bins of width 0.1, the last one closed at 1. Low bins are the prompts to review.
 * Drawn with plain elements: a chart library for ten bars weighed 7 KB of compressed script.
 */
export function WHistogram({ histogram }: { histogram: number[] }) {
  const { top, ticks } = countAxis(Math.max(0, ...histogram));
  return (
    <figure className="histogram">
      <span className="axis-title axis-title-y">prompts</span>
      <div className="w-chart" role="img" aria-label={`Kendall's W over prompts: ${histogram.map((n, i) => `${labels[i]}: ${n}`).join(', ')}`}>
        <div className="w-ticks">
          {ticks.map((t) => (
            <span key={t} style={{ bottom: percentOf(t, top) }}>
              {t.toLocaleString()}
            </span>
          ))}
        </div>
        <div className="w-plot">
          {ticks.map((t) => (
            <span key={t} className="w-grid" style={{ bottom: percentOf(t, top) }} />
          ))}
          {histogram.map((n, i) => (
            <div key={i} className="w-bin">
              {/* the browser's own tooltip */}
              <div className="w-bar" data-bin={i} style={{ height: percentOf(n, top), background: binColor(i) }} title={`W ${labels[i] ?? ''}: ${counted(n, 'prompt')}`} />
            </div>
          ))}
        </div>
        <div className="w-labels">
          {labels.map((l) => (
            <span key={l}>{l}</span>
          ))}
        </div>
      </div>
      <figcaption className="axis-title">Kendall's W</figcaption>
    </figure>
  );
}

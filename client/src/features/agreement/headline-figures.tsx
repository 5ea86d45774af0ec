import type { AgreementData } from '../../api/review-queries.ts';
import { fixed, percent } from './format.ts';

type Interval = { low: number; high: number; level: number; resamples: number } | null | undefined;

/** Inter-labeler agreement InstructGPT reports (Ouyang et al. 2022, "Human data collection": 72.6 ± 1.5%). */
export const instructGptAgreement = 0.73;

function IntervalNote({ interval, format }: { interval: Interval; format: (v: number) => string }) {
  if (!interval) return null;
  return (
    <div className="figure-interval" title={`${Math.round(interval.level * 100)}% percentile bootstrap over prompts, ${interval.resamples} resamples`}>
      {Math.round(interval.level * 100)}% CI {format(interval.low)} to {format(interval.high)}
    </div>
  );
}

/** The project's four headline figures, each with its interval and what to compare it with. */
export function HeadlineFigures({ report }: { report: AgreementData }) {
  const pairwise = report.pairwiseAgreement;
  const vsReference = pairwise === null ? null : pairwise - instructGptAgreement;
  return (
    <section className="figures" aria-label="Headline figures">
      <div className="card figure" data-figure="pairwise">
        <div className="figure-name">Pairwise agreement</div>
        <div className="figure-value">{percent(pairwise)}</div>
        <IntervalNote interval={report.intervals?.pairwiseAgreement} format={percent} />
        <div className="figure-note">
          InstructGPT ~{percent(instructGptAgreement)}
          {vsReference !== null && (
            <span className={vsReference < -0.05 ? 'warn' : 'muted'}>
              {' '}· {vsReference >= 0 ? '+' : '−'}{Math.abs(Math.round(vsReference * 100))} pts
            </span>
          )}
        </div>
        <ReferenceBar value={pairwise} reference={instructGptAgreement} />
      </div>
      <div className="card figure" data-figure="kendall-w">
        <div className="figure-name">Kendall's W (mean)</div>
        <div className="figure-value">{fixed(report.kendallW.mean)}</div>
        <div className="figure-note">over {Object.values(report.kendallW.perPrompt).filter((w) => w !== null).length} prompts · 1 = all labelers agree</div>
      </div>
      <div className="card figure" data-figure="alpha-ordinal">
        <div className="figure-name">Krippendorff's α, ordinal</div>
        <div className="figure-value">{fixed(report.krippendorffAlpha.ordinal)}</div>
        <IntervalNote interval={report.intervals?.krippendorffAlpha.ordinal} format={(v) => fixed(v)} />
        <div className="figure-note">0 = chance, 1 = perfect</div>
      </div>
      <div className="card figure" data-figure="alpha-interval">
        <div className="figure-name">Krippendorff's α, interval</div>
        <div className="figure-value">{fixed(report.krippendorffAlpha.interval)}</div>
        <IntervalNote interval={report.intervals?.krippendorffAlpha.interval} format={(v) => fixed(v)} />
        <div className="figure-note">rank distances as numbers</div>
      </div>
    </section>
  );
}

/** The agreement rate on a 0–100% track with the InstructGPT mark on it (labelers ranking at random land near 50%). */
function ReferenceBar({ value, reference }: { value: number | null; reference: number }) {
  const at = (v: number) => `${Math.min(100, Math.max(0, v * 100))}%`;
  return (
    <div className="reference-bar" aria-hidden="true">
      {value !== null && <span className="reference-fill" style={{ width: at(value) }} />}
      <span className="reference-mark" style={{ left: at(reference) }} title="InstructGPT" />
    </div>
  );
}

import type { CriteriaAgreementData } from '../../api/review-queries.ts';
import { instructGptAgreement } from './headline-figures.tsx';
import { fixed, percent } from './format.ts';

/**
 * Every criterion's headline figures in one table: labelers usually agree more on harmlessness than on helpfulness,
 * and a lead should see which criterion's guidelines need work without switching back and forth.
 */
export function CriteriaSideBySide({ data, chosen, onChoose }: { data: CriteriaAgreementData; chosen: string; onChoose: (key: string) => void }) {
  return (
    <section className="card stack" aria-labelledby="criteria-title" data-testid="criteria-side-by-side">
      <h2 id="criteria-title">Criteria side by side</h2>
      <div className="table-scroll">
        <table className="criteria-figures dense">
          <thead>
            <tr>
              <th>Criterion</th>
              <th className="num" title={`InstructGPT ~${percent(instructGptAgreement)}`}>Pairwise agreement</th>
              <th className="num">Kendall's W (mean)</th>
              <th className="num">α ordinal</th>
              <th className="num">α interval</th>
              <th className="num">Rankings</th>
            </tr>
          </thead>
          <tbody>
            {data.criteria.map((c) => (
              <tr key={c.key} data-criterion={c.key} className={c.key === chosen ? 'is-chosen' : undefined}>
                <th scope="row">
                  <button type="button" className="link-button" aria-pressed={c.key === chosen} onClick={() => onChoose(c.key)} title="Show this criterion's figures below">
                    {c.name}
                  </button>
                  {c.weight !== 1 && <span className="muted"> · weight {c.weight}</span>}
                </th>
                <td className="num" data-figure="pairwise">{percent(c.pairwiseAgreement)}</td>
                <td className="num" data-figure="kendall-w">{fixed(c.kendallW.mean)}</td>
                <td className="num" data-figure="alpha-ordinal">{fixed(c.krippendorffAlpha.ordinal)}</td>
                <td className="num" data-figure="alpha-interval">{fixed(c.krippendorffAlpha.interval)}</td>
                <td className="num">{c.rankings}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted hint">
        The same figures as below, each over that criterion's rankings (no intervals here). A criterion labelers agree on much less than the others
        usually needs sharper guidelines or examples.
      </p>
    </section>
  );
}

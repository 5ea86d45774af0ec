import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { projectOptions } from '../../api/queries.ts';
import { agreementOptions, criteriaAgreementOptions, dashboardBootstrap, type AgreementData } from '../../api/review-queries.ts';
import { CriterionSelect, useCriterionParam } from '../../components/criterion-select.tsx';
import { criterionName } from '../../components/criterion-choice.ts';
import { CriteriaSideBySide } from './criteria-side-by-side.tsx';
import { HeadlineFigures } from './headline-figures.tsx';
import { WHistogram } from './w-histogram.tsx';
import { LabelerHeatmap } from './labeler-heatmap.tsx';
import { LabelerTable } from './labeler-table.tsx';
import { IncludeButton } from './exclude-control.tsx';
import { JudgesSection } from './judges-section.tsx';
import './agreement.css';
import { counted } from '../../components/counted.ts';

/** The lead's view of how far labelers agree: headline figures, W over prompts, labeler pairs, labeler quality. */
export function AgreementPage() {
  const id = Number(useParams().id);
  const project = useQuery(projectOptions(id));
  const criteria = project.data?.criteria;
  const [criterion, setCriterion] = useCriterionParam(criteria, true);
  const report = useQuery({ ...agreementOptions(id, dashboardBootstrap, criterion), placeholderData: (previous) => previous });
  const sideBySide = useQuery({ ...criteriaAgreementOptions(id), enabled: (criteria?.length ?? 0) > 1 });
  const shownName = criterionName(criterion, criteria);
  return (
    <main className="page agreement-page">
      <div className="row">
        <h1>Agreement{project.data ? `: ${project.data.name}` : ''}</h1>
        <span className="spacer" />
        <CriterionSelect criteria={criteria} value={criterion} onChange={setCriterion} allowCombined />
        <Link to={`/projects/${id}/review`}>Review prompts →</Link>
        <Link to={`/projects/${id}`}>← Dashboard</Link>
      </div>
      {sideBySide.data && sideBySide.data.criteria.some((c) => c.rankings > 0) && (
        <CriteriaSideBySide data={sideBySide.data} chosen={criterion ?? criteria?.[0]?.key ?? ''} onChoose={setCriterion} />
      )}
      {shownName && (
        <h2 className="agreement-criterion" data-testid="agreement-criterion">
          {shownName}
        </h2>
      )}
      {report.isPending && <p className="muted">Computing…</p>}
      {report.isError && <p className="error">{report.error.message}</p>}
      {report.data && <AgreementBody projectId={id} report={report.data} />}
      {report.data && <JudgesSection projectId={id} report={report.data} />}
      <p className="muted hint" data-caption="metrics-doc">
        How each figure is computed, with the published examples it is checked against: <code>docs/metrics.md</code> in the Podium repository (and in
        the <code>docs</code> folder of every install). Counted rankings only: excluded labelers, rankings and prompts and "not rankable" answers are
        left out.
      </p>
    </main>
  );
}

function AgreementBody({ projectId, report }: { projectId: number; report: AgreementData }) {
  if (report.rankings === 0) {
    return (
      <>
        <p className="muted card">No counted rankings yet: the figures appear once two labelers have ranked the same prompt.</p>
        <ExcludedLabelers projectId={projectId} report={report} />
      </>
    );
  }
  return (
    <>
      <p className="muted" data-summary>
        {report.rankings} rankings of {report.prompts} prompts by {report.labelers.length} labelers · K = {report.responsesPerPrompt}
      </p>
      <HeadlineFigures report={report} />
      <div className="agreement-charts">
        <section className="card stack" aria-labelledby="w-title">
          <h2 id="w-title">Kendall's W across prompts</h2>
          <WHistogram histogram={report.kendallW.histogram} />
          <p className="muted hint">
            Prompts on the left are the disputed ones; <Link to={`/projects/${projectId}/review`}>review them</Link> lowest W first.
          </p>
        </section>
        <section className="card stack" aria-labelledby="pairs-title">
          <h2 id="pairs-title">Labeler × labeler mean τ-b</h2>
          <LabelerHeatmap names={report.labelerPairs.usernames} meanTauB={report.labelerPairs.meanTauB} prompts={report.labelerPairs.prompts} />
          <p className="muted hint">
            Each cell: how alike two labelers order the responses of the prompts both ranked (mean τ-b, 1 = the same order, −1 = reversed). Green: alike; red:
            opposite orders; grey: no prompt in common.
          </p>
        </section>
      </div>
      <section className="card stack" aria-labelledby="labelers-title">
        <h2 id="labelers-title">Labelers</h2>
        <LabelerTable projectId={projectId} labelers={report.labelers} />
        <p className="muted hint" data-caption="position-bias">
          Position bias: how often the response shown first was ranked first, then what chance gives (1/K when nothing ties). “44% / 25%” means the
          response shown first was ranked first in 44% of that labeler's rankings, where chance is 25%.
        </p>
        <ExcludedLabelers projectId={projectId} report={report} />
      </section>
    </>
  );
}

function ExcludedLabelers({ projectId, report }: { projectId: number; report: AgreementData }) {
  if (report.excludedLabelers.length === 0) return null;
  return (
    <div className="excluded-labelers stack">
      <h3>Excluded</h3>
      <ul>
        {report.excludedLabelers.map((l) => (
          <li key={l.userId} className="row" data-excluded-labeler={l.username}>
            <strong>{l.username}</strong>
            <span className="muted">
              {counted(l.rankings, 'ranking')} not counted
              {l.by && ` · excluded by ${l.by}`}
              {l.at && ` on ${new Date(l.at).toLocaleString()}`}
              {l.reason && `: “${l.reason}”`}
            </span>
            <IncludeButton projectId={projectId} userId={l.userId} />
          </li>
        ))}
      </ul>
    </div>
  );
}

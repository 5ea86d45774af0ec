import type { SkippedCounts } from '../../shared/export-skips.ts';
import type { AgreementReport } from '../metrics/agreement-report.ts';
import type { ExportSettings } from './export-lines.ts';
import type { ExportTally } from './export-summary.ts';

/** The agreement figures a dataset card quotes, named as in the agreement report. */
export type HeadlineAgreement = {
  prompts: number;
  rankings: number;
  pairwiseAgreement: number | null;
  kendallW: { mean: number | null };
  krippendorffAlpha: { ordinal: number | null; interval: number | null };
};

export type ExportManifest = {
  podiumVersion: string;
  generatedAt: string;
  project: { id: number; name: string; K: number; R: number };
  settings: ExportSettings;
  /** total and prompts: what the settings export; train and test: the lines on each side of the split at the settings' testFraction. */
  counts: { total: number; train: number; test: number; prompts: number };
  /** What the file leaves out, by reason (prompt reasons count prompts, pair reasons pairs). */
  skipped: SkippedCounts;
  agreement: HeadlineAgreement;
};

export function headlineAgreement(report: Pick<AgreementReport, 'prompts' | 'rankings' | 'pairwiseAgreement' | 'kendallW' | 'krippendorffAlpha'>): HeadlineAgreement {
  return {
    prompts: report.prompts,
    rankings: report.rankings,
    pairwiseAgreement: report.pairwiseAgreement,
    kendallW: { mean: report.kendallW.mean },
    krippendorffAlpha: { ordinal: report.krippendorffAlpha.ordinal, interval: report.krippendorffAlpha.interval },
  };
}

/** What to keep beside an exported file so the data can be traced to its project, settings and labels' quality. */
export function exportManifest(input: {
  podiumVersion: string;
  generatedAt: Date;
  project: { id: number; name: string; responsesPerPrompt: number; labelersPerPrompt: number };
  settings: ExportSettings;
  tally: ExportTally;
  agreement: HeadlineAgreement;
}): ExportManifest {
  const { project, tally } = input;
  return {
    podiumVersion: input.podiumVersion,
    generatedAt: input.generatedAt.toISOString(),
    project: { id: project.id, name: project.name, K: project.responsesPerPrompt, R: project.labelersPerPrompt },
    settings: input.settings,
    counts: { total: tally.lines, train: tally.train.lines, test: tally.test.lines, prompts: tally.prompts },
    skipped: tally.skipped,
    agreement: input.agreement,
  };
}

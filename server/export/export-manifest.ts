import type { z } from 'zod';
import type { exportManifestSchema, headlineAgreementSchema } from '../../shared/export-reports.ts';
import type { AgreementReport } from '../metrics/agreement-report.ts';
import type { ExportSettings } from './export-lines.ts';
import type { ExportTally } from './export-summary.ts';

export type HeadlineAgreement = z.infer<typeof headlineAgreementSchema>;

/** The manifest's shape is published in shared/export-reports.ts; its settings are the export settings as applied. */
export type ExportManifest = Omit<z.infer<typeof exportManifestSchema>, 'settings'> & { settings: ExportSettings };

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

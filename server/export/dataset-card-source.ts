import type { Store } from '../store/store.ts';
import type { Project } from '../../shared/projects.ts';
import type { SkippedCounts } from '../../shared/export-skips.ts';
import { agreementReport } from '../metrics/agreement-report.ts';
import { podiumVersion } from '../version.ts';
import type { CriterionSelection } from '../ranking/criterion-selection.ts';
import { datasetCard, type DatasetCardInput } from './dataset-card.ts';
import type { ExportSettings } from './export-lines.ts';

/** Resamples behind the card's agreement intervals; the agreement route's seed, so both quote the same intervals. */
const cardBootstrap = { resamples: 200, seed: 1 };

/** The dataset card of a project's export, with what the card reads from the store (agreement under the exported criterion, labeling dates). */
export async function datasetCardFor(store: Store, project: Project, selection: CriterionSelection, settings: ExportSettings, sides: DatasetCardInput['sides'], skipped: SkippedCounts): Promise<string> {
  const source = store.agreementSource;
  return datasetCard({
    podiumVersion,
    generatedAt: new Date(),
    project,
    settings: { ...settings, split: undefined },
    sides,
    skipped,
    agreement: agreementReport(await source.rankings(project.id, selection), { bootstrap: cardBootstrap }),
    labeled: await source.labelingPeriod(project.id),
  });
}

/** Both sides' skips added up: each side is a file of its own, with its own skips. */
export function addSkipped(a: SkippedCounts, b: SkippedCounts): SkippedCounts {
  const out: SkippedCounts = { ...a };
  for (const [reason, n] of Object.entries(b) as [keyof SkippedCounts, number][]) out[reason] = (out[reason] ?? 0) + n;
  return out;
}

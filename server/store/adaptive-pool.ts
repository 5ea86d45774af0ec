import { all, run, type Sql } from './engine/sql.ts';
import { rankingCounts } from './counted-rankings.ts';
import type { Project } from '../../shared/projects.ts';
import { fractionalRanks } from '../../shared/fractional-ranks.ts';
import { wantedLabels } from '../quality/adaptive-overlap.ts';

/** Adaptive overlap is on when the cap is above R. */
export const adaptiveOn = (project: Project): boolean => project.maxLabelersPerPrompt > project.labelersPerPrompt;

/**
 * After a ranking of `promptId`: when its counted rankings (R or more) disagree (Kendall's W below `minKendallW`),
 * one more place, up to `maxLabelersPerPrompt`. A step of the submit transaction. The place is an `extra_labelers`
 * one, the same column "send back" raises, so the pool's pick and its index are untouched; `adaptive_extra` records
 * how many of them adaptive overlap granted. The conditional UPDATE is the cap: a place is added only while the
 * prompt's places (R + extra) are below what it wants, and what it wants never passes the cap, so two submissions
 * racing on one prompt add one place, and the pool (which never leases past R + extra) never exceeds the cap.
 */
export function* grantAdaptivePlace(project: Project, promptId: number): Sql<void> {
  if (!adaptiveOn(project)) return;
  const rows = yield* all<{ tiers: string }>(
    `SELECT r.tiers FROM rankings r JOIN prompts p ON p.id = r.prompt_id
     LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
     WHERE r.prompt_id = ? AND p.excluded = 0 AND ${rankingCounts} ORDER BY r.id`,
    promptId,
  );
  if (rows.length < project.labelersPerPrompt) return;
  const rankings = rows.map((r) => JSON.parse(r.tiers) as number[][]);
  const ids = (rankings[0] ?? []).flat().sort((a, b) => a - b);
  const ranks = rankings.map((ranking) => {
    const byId = fractionalRanks(ranking);
    return ids.map((id) => byId.get(id) ?? Number.NaN);
  });
  const wanted = wantedLabels(ranks, project);
  if (wanted <= rows.length) return;
  yield* run(
    'UPDATE prompts SET extra_labelers = extra_labelers + 1, adaptive_extra = adaptive_extra + 1 WHERE id = ? AND ? + extra_labelers < ?',
    promptId, project.labelersPerPrompt, wanted,
  );
}

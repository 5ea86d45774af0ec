import type { CriteriaAgreement } from '../../shared/agreement.ts';
import type { Criterion } from '../../shared/criteria.ts';
import { headlineAgreement } from '../export/export-manifest.ts';
import { tiersOf, type StoredRanking } from '../ranking/criterion-selection.ts';
import { agreementReport, type RankingRecord } from './agreement-report.ts';

/**
 * Every criterion's headline agreement figures side by side (`criterion=all`): the same report, run over each
 * criterion's tiers of the same counted rankings, so the figures equal those of `criterion=KEY`.
 */
export function criteriaAgreement(stored: readonly (RankingRecord & StoredRanking<RankingRecord['labeler']>)[], criteria: readonly Criterion[]): CriteriaAgreement {
  return {
    criteria: criteria.map((c, i) => ({
      key: c.key,
      name: c.name,
      weight: c.weight,
      ...headlineAgreement(agreementReport(stored.map((r) => ({ ...r, ranking: tiersOf(r, c.key, i === 0) })))),
    })),
  };
}

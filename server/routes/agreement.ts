import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { selectCriterion, type CriterionSelection } from '../ranking/criterion-selection.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { agreementReport } from '../metrics/agreement-report.ts';
import { agreementQuerySchema } from '../../shared/review.ts';
import { criteriaAgreement } from '../metrics/criteria-agreement.ts';
import { withGoldScores } from '../quality/gold-score.ts';
import type { Id, Ranking } from '../../shared/ranking.ts';
import type { JudgeAgreement } from '../../shared/judges.ts';
import { judgeFigures } from '../metrics/judge-agreement.ts';
import { judgedCriteria, judgeStoredRankings, judgeVerdictsUnder } from '../judges/judge-sources.ts';

/** The CLI (`podium agreement --bootstrap N`) draws with this seed too, so both give the same intervals for the same rankings. */
const bootstrapSeed = 1;

export const agreementRoutes = new Hono<AppEnv>()
  // Every criterion's headline figures side by side: one read, then each criterion's tiers through the same report.
  // No bootstrap: these are the figures the agreement page compares, not their intervals.
  .get('/projects/:id/agreement/criteria', requireUser, projectAccess('lead'), async (c) => {
    const { store, project } = c.var;
    return c.json(criteriaAgreement(await store.agreementSource.rankings(project.id), project.criteria), 200);
  })
  .get('/projects/:id/agreement', requireUser, projectAccess('lead'), validate('query', agreementQuerySchema), async (c) => {
    const { store, project } = c.var;
    const { bootstrap, criterion } = c.req.valid('query');
    const source = store.agreementSource;
    const picked = selectCriterion(project.criteria, criterion);
    if (!picked.ok) return apiError(c, 400, 'unknown_criterion', picked.message);
    const human = await source.rankings(project.id, picked.selection);
    const report = agreementReport(human, {
      skipped: await source.skipped(project.id),
      ...(bootstrap > 0 ? { bootstrap: { resamples: bootstrap, seed: bootstrapSeed } } : {}),
    });
    const names = await source.usernames(project.id);
    const nameOf = (id: string | number) => names.get(Number(id)) ?? String(id);
    return c.json(
      {
        ...report,
        criterion: picked.selection.key,
        responsesPerPrompt: project.responsesPerPrompt,
        // Gold answers are not in the report's rankings (they never count); each labeler's score against them is beside it.
        labelers: withGoldScores(report.labelers, await store.quality.goldScores(project.id)).map((l) => ({ ...l, username: nameOf(l.labeler) })),
        labelerPairs: { ...report.labelerPairs, usernames: report.labelerPairs.labelers.map(nameOf) },
        // Their rankings no longer count, so the report does not know them; the dashboard lists them to take them back.
        excludedLabelers: await source.excludedLabelers(project.id),
        judges: await judgesAgainstHumans(store, project, picked.selection, human),
      },
      200,
    );
  });

/** Every judge of the project measured against the counted human rankings under the same criterion, as the agreement page lists labelers. */
async function judgesAgainstHumans(
  store: AppEnv['Variables']['store'],
  project: AppEnv['Variables']['project'],
  selection: CriterionSelection,
  human: readonly { prompt: Id; ranking: Ranking }[],
): Promise<JudgeAgreement[]> {
  const judges = await store.judges.list(project.id);
  if (judges.length === 0) return [];
  const perCriterion = await store.judges.rankingsOf(project.id, judgedCriteria(selection, project.criteria));
  const verdicts = judgeVerdictsUnder(judgeStoredRankings(perCriterion, project.criteria), selection);
  const byPrompt = new Map<Id, Ranking[]>();
  for (const r of human) {
    const key = Number(r.prompt);
    const list = byPrompt.get(key) ?? [];
    list.push(r.ranking);
    byPrompt.set(key, list);
  }
  const externalIds = new Map(perCriterion.flatMap((c) => c.rows).map((r) => [r.promptId, r.externalId]));
  return judges.map((j) => {
    const { judgeId: _id, disagreements, ...figures } = judgeFigures(j.id, verdicts, byPrompt);
    return { judgeId: j.id, name: j.name, ...figures, disagreements: disagreements.map((d) => ({ ...d, externalId: externalIds.get(d.promptId) ?? String(d.promptId) })) };
  });
}

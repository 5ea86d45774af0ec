import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { selectCriterion } from '../ranking/criterion-selection.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { agreementReport } from '../metrics/agreement-report.ts';
import { agreementQuerySchema } from '../../shared/review.ts';
import { criteriaAgreement } from '../metrics/criteria-agreement.ts';

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
    const report = agreementReport(await source.rankings(project.id, picked.selection), {
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
        labelers: report.labelers.map((l) => ({ ...l, username: nameOf(l.labeler) })),
        labelerPairs: { ...report.labelerPairs, usernames: report.labelerPairs.labelers.map(nameOf) },
        // Their rankings no longer count, so the report does not know them; the dashboard lists them to take them back.
        excludedLabelers: await source.excludedLabelers(project.id),
      },
      200,
    );
  });

import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { validate } from '../http/errors.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { agreementReport } from '../metrics/agreement-report.ts';
import { agreementQuerySchema } from '../../shared/review.ts';
import type { Id, Ranking } from '../../shared/ranking.ts';
import type { JudgeAgreement } from '../../shared/judges.ts';
import { judgeFigures } from '../metrics/judge-agreement.ts';
import { judgeVerdicts } from '../judges/judge-verdict.ts';
import { judgedCriterion } from '../judges/judge-sources.ts';

/** The CLI (`podium agreement --bootstrap N`) draws with this seed too, so both give the same intervals for the same rankings. */
const bootstrapSeed = 1;

export const agreementRoutes = new Hono<AppEnv>().get('/projects/:id/agreement', requireUser, projectAccess('lead'), validate('query', agreementQuerySchema), async (c) => {
  const { store, project } = c.var;
  const { bootstrap } = c.req.valid('query');
  const source = store.agreementSource;
  const human = await source.rankings(project.id);
  const report = agreementReport(human, {
    skipped: await source.skipped(project.id),
    ...(bootstrap > 0 ? { bootstrap: { resamples: bootstrap, seed: bootstrapSeed } } : {}),
  });
  const names = await source.usernames(project.id);
  const nameOf = (id: string | number) => names.get(Number(id)) ?? String(id);
  return c.json(
    {
      ...report,
      responsesPerPrompt: project.responsesPerPrompt,
      labelers: report.labelers.map((l) => ({ ...l, username: nameOf(l.labeler) })),
      labelerPairs: { ...report.labelerPairs, usernames: report.labelerPairs.labelers.map(nameOf) },
      // Their rankings no longer count, so the report does not know them; the dashboard lists them to take them back.
      excludedLabelers: await source.excludedLabelers(project.id),
      judges: await judgesAgainstHumans(c.var.store, project, human),
    },
    200,
  );
});

/** Every judge of the project measured against the counted human rankings, as the agreement page lists labelers. */
async function judgesAgainstHumans(store: AppEnv['Variables']['store'], project: AppEnv['Variables']['project'], human: readonly { prompt: Id; ranking: Ranking }[]): Promise<JudgeAgreement[]> {
  const judges = await store.judges.list(project.id);
  if (judges.length === 0) return [];
  const rows = await store.judges.rankings(project.id, judgedCriterion(project));
  const verdicts = judgeVerdicts(rows);
  const byPrompt = new Map<Id, Ranking[]>();
  for (const r of human) {
    const key = Number(r.prompt);
    const list = byPrompt.get(key) ?? [];
    list.push(r.ranking);
    byPrompt.set(key, list);
  }
  const externalIds = new Map(rows.map((r) => [r.promptId, r.externalId]));
  return judges.map((j) => {
    const { judgeId: _id, disagreements, ...figures } = judgeFigures(j.id, verdicts, byPrompt);
    return { judgeId: j.id, name: j.name, ...figures, disagreements: disagreements.map((d) => ({ ...d, externalId: externalIds.get(d.promptId) ?? String(d.promptId) })) };
  });
}

import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { selectCriterion } from '../ranking/criterion-selection.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import type { PromptResult } from '../../shared/results.ts';
import { criterionQuerySchema } from '../../shared/criteria.ts';
import { sourcesQuerySchema } from '../../shared/sources.ts';
import { consensusOrder } from '../ranking/consensus.ts';
import { meanRanksUnder, rankingUnder, shownRanking } from '../ranking/criterion-selection.ts';
import { judgedCriteria, judgeOrdersUnder, judgeStoredRankings } from '../judges/judge-sources.ts';

export const resultsPageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  // A criterion key of the project (default: its first), or "combined" (weighted mean of the criteria's mean ranks).
  criterion: criterionQuerySchema,
  // Whose rankings: human labelers (default), AI judges, or both (docs/judges.md).
  sources: sourcesQuerySchema,
});

export const resultRoutes = new Hono<AppEnv>().get('/projects/:id/results', requireUser, projectAccess('lead'), validate('query', resultsPageQuerySchema), async (c) => {
  const { offset, limit, criterion, sources } = c.req.valid('query');
  const { results, judges } = c.var.store;
  const project = c.var.project;
  const picked = selectCriterion(project.criteria, criterion);
  if (!picked.ok) return apiError(c, 400, 'unknown_criterion', picked.message);
  const { selection } = picked;
  const withHuman = sources.includes('human');
  const withJudges = sources.includes('judge');
  const names = withJudges ? new Map((await judges.list(project.id)).map((j) => [j.id, j.name])) : new Map<number, string>();
  const out: PromptResult[] = [];
  for (const p of await results.rankedPrompts(project.id, limit, offset, sources)) {
    const rankings = withHuman ? await results.rankings(p.id) : [];
    // A judge's verdict is read like one more labeler's stored ranking, so the criterion (or combined) selects from it the same way.
    const verdicts = withJudges ? judgeStoredRankings(await judges.rankingsOf(project.id, judgedCriteria(selection, project.criteria), { first: p.id, last: p.id }), project.criteria) : [];
    const means = meanRanksUnder([...rankings.filter((r) => r.counted), ...verdicts], selection);
    out.push({
      promptId: p.id,
      externalId: p.externalId,
      messages: p.messages,
      responses: (await results.responses(p.id)).map((r) => ({ id: r.id, text: r.text, model: r.model, meanRank: means.get(r.id) ?? null })),
      consensus: consensusOrder(means),
      // A ranking that does not count (its labeler, the ranking or the prompt excluded) shows as excluded.
      rankings: rankings.map(({ promptId: _p, counted, criteria, ...r }) => ({
        ...r,
        ...shownRanking({ ...r, criteria }, selection, project.criteria),
        excluded: r.excluded || (!counted && !r.notRankable),
      })),
      ...(withJudges
        ? {
            judgeRankings: verdicts.map((v) => ({
              judgeId: v.judgeId,
              name: names.get(v.judgeId) ?? `judge ${v.judgeId}`,
              ranking: rankingUnder(v, selection).ranking,
              byCriterion: v.criteria ?? { [selection.key]: v.ranking },
              orders: judgeOrdersUnder(v, selection),
            })),
          }
        : {}),
    });
  }
  return c.json({ total: await results.countRanked(project.id, sources), offset, criterion: selection.key, criteria: project.criteria, sources, results: out }, 200);
});

import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { selectCriterion } from '../ranking/criterion-selection.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import type { PromptResult } from '../../shared/results.ts';
import { criterionQuerySchema } from '../../shared/criteria.ts';
import { consensusOrder } from '../ranking/consensus.ts';
import { meanRanksUnder, shownRanking } from '../ranking/criterion-selection.ts';

export const resultsPageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  // A criterion key of the project (default: its first), or "combined" (weighted mean of the criteria's mean ranks).
  criterion: criterionQuerySchema,
});

export const resultRoutes = new Hono<AppEnv>().get('/projects/:id/results', requireUser, projectAccess('lead'), validate('query', resultsPageQuerySchema), async (c) => {
  const { offset, limit, criterion } = c.req.valid('query');
  const results = c.var.store.results;
  const project = c.var.project;
  const picked = selectCriterion(project.criteria, criterion);
  if (!picked.ok) return apiError(c, 400, 'unknown_criterion', picked.message);
  const { selection } = picked;
  const out: PromptResult[] = [];
  for (const p of await results.rankedPrompts(project.id, limit, offset)) {
    const rankings = await results.rankings(p.id);
    const means = meanRanksUnder(rankings.filter((r) => r.counted), selection);
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
    });
  }
  return c.json({ total: await results.countRanked(project.id), offset, criterion: selection.key, criteria: project.criteria, results: out }, 200);
});

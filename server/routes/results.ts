import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { validate } from '../http/errors.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import type { PromptResult } from '../../shared/results.ts';
import { consensusOrder } from '../ranking/consensus.ts';
import { meanRanks } from '../ranking/mean-ranks.ts';

export const resultsPageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const resultRoutes = new Hono<AppEnv>().get('/projects/:id/results', requireUser, projectAccess('lead'), validate('query', resultsPageQuerySchema), async (c) => {
  const { offset, limit } = c.req.valid('query');
  const results = c.var.store.results;
  const project = c.var.project;
  const out: PromptResult[] = [];
  for (const p of await results.rankedPrompts(project.id, limit, offset)) {
    const rankings = await results.rankings(p.id);
    const means = meanRanks(rankings.filter((r) => r.counted).map((r) => r.ranking));
    out.push({
      promptId: p.id,
      externalId: p.externalId,
      messages: p.messages,
      responses: (await results.responses(p.id)).map((r) => ({ id: r.id, text: r.text, model: r.model, meanRank: means.get(r.id) ?? null })),
      consensus: consensusOrder(means),
      // A ranking that does not count (its labeler, the ranking or the prompt excluded) shows as excluded.
      rankings: rankings.map(({ promptId: _p, counted, ...r }) => ({ ...r, excluded: r.excluded || (!counted && !r.notRankable) })),
    });
  }
  return c.json({ total: await results.countRanked(project.id), offset, results: out }, 200);
});

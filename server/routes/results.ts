import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { validate } from '../http/errors.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import type { PromptResult } from '../../shared/results.ts';

const pageSchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

function consensusTiers(means: Map<number, number>): number[][] {
  const sorted = [...means].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const tiers: number[][] = [];
  let last = Number.NaN;
  for (const [id, mean] of sorted) {
    if (tiers.length && Math.abs(mean - last) < 1e-9) tiers[tiers.length - 1]?.push(id);
    else tiers.push([id]);
    last = mean;
  }
  return tiers;
}

export const resultRoutes = new Hono<AppEnv>().get('/projects/:id/results', requireUser, projectAccess('lead'), validate('query', pageSchema), (c) => {
  const { offset, limit } = c.req.valid('query');
  const results = c.var.store.results;
  const project = c.var.project;
  const out: PromptResult[] = results.rankedPrompts(project.id, limit, offset).map((p) => {
    const means = results.meanRanks(p.id);
    return {
      promptId: p.id,
      externalId: p.externalId,
      messages: p.messages,
      responses: results.responses(p.id).map((r) => ({ id: r.id, text: r.text, model: r.model, meanRank: means.get(r.id) ?? null })),
      consensus: consensusTiers(means),
      rankings: results.rankings(p.id).map(({ promptId: _p, counted: _c, ...r }) => r),
    };
  });
  return c.json({ total: results.countRanked(project.id), offset, results: out }, 200);
});

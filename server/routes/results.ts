import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { validate } from '../http/errors.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import type { PromptResult } from '../../shared/results.ts';
import { sourcesQuerySchema } from '../../shared/sources.ts';
import { consensusOrder } from '../ranking/consensus.ts';
import { meanRanks } from '../ranking/mean-ranks.ts';
import { judgeVerdicts } from '../judges/judge-verdict.ts';
import { judgedCriterion } from '../judges/judge-sources.ts';

export const resultsPageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  sources: sourcesQuerySchema,
});

export const resultRoutes = new Hono<AppEnv>().get('/projects/:id/results', requireUser, projectAccess('lead'), validate('query', resultsPageQuerySchema), async (c) => {
  const { offset, limit, sources } = c.req.valid('query');
  const { results, judges } = c.var.store;
  const project = c.var.project;
  const withHuman = sources.includes('human');
  const withJudges = sources.includes('judge');
  const names = withJudges ? new Map((await judges.list(project.id)).map((j) => [j.id, j.name])) : new Map<number, string>();
  const out: PromptResult[] = [];
  for (const p of await results.rankedPrompts(project.id, limit, offset, sources)) {
    const rankings = withHuman ? await results.rankings(p.id) : [];
    const verdicts = withJudges ? judgeVerdicts(await judges.rankings(project.id, judgedCriterion(project), { first: p.id, last: p.id })) : [];
    const means = meanRanks([...rankings.filter((r) => r.counted).map((r) => r.ranking), ...verdicts.map((v) => v.ranking)]);
    out.push({
      promptId: p.id,
      externalId: p.externalId,
      messages: p.messages,
      responses: (await results.responses(p.id)).map((r) => ({ id: r.id, text: r.text, model: r.model, meanRank: means.get(r.id) ?? null })),
      consensus: consensusOrder(means),
      // A ranking that does not count (its labeler, the ranking or the prompt excluded) shows as excluded.
      rankings: rankings.map(({ promptId: _p, counted, ...r }) => ({ ...r, excluded: r.excluded || (!counted && !r.notRankable) })),
      ...(withJudges ? { judgeRankings: verdicts.map((v) => ({ judgeId: v.judgeId, name: names.get(v.judgeId) ?? `judge ${v.judgeId}`, ranking: v.ranking, orders: v.orders })) } : {}),
    });
  }
  return c.json({ total: await results.countRanked(project.id, sources), offset, sources, results: out }, 200);
});

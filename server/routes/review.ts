import { Hono } from 'hono';
import { z } from 'zod';
import { idSchema } from '../../shared/ids.ts';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { exclusionSchema, reviewPromptQuerySchema, reviewQuerySchema, type ExtraLabelsResult, type ReviewPrompt } from '../../shared/review.ts';
import { promptFigures, reviewRow, sortReviewRows } from '../review/review-rows.ts';
import { meanRanksUnder, rankingUnder, selectCriterion, shownRanking } from '../ranking/criterion-selection.ts';
import { consensusOrder } from '../ranking/consensus.ts';
import { memberTarget } from '../store/agreement-source.ts';

const rowId = idSchema;
// `id` is listed so the typed client still asks for the project id (a param validator's input replaces the path's).
const projectId = z.string();
const promptParam = z.object({ id: projectId, promptId: rowId });
const memberParam = z.object({ id: projectId, userId: rowId });
const rankingParam = z.object({ id: projectId, rankingId: rowId });

/**
 * The lead's review: prompts in the order that needs a look first, one prompt with every ranking, and the reversible
 * switches that take a prompt, a labeler or one ranking out of the figures and the export. Every switch is audited.
 */
export const reviewRoutes = new Hono<AppEnv>()
  .get('/projects/:id/review', requireUser, projectAccess('lead'), validate('query', reviewQuerySchema), async (c) => {
    const { store, project } = c.var;
    const { sort, offset, limit, criterion } = c.req.valid('query');
    const picked = selectCriterion(project.criteria, criterion);
    if (!picked.ok) return apiError(c, 400, 'unknown_criterion', picked.message);
    const rows = sortReviewRows((await store.review.promptInputs(project.id)).map((p) => reviewRow(p, picked.selection)), sort);
    return c.json({ total: rows.length, offset, sort, criterion: picked.selection.key, rows: rows.slice(offset, offset + limit) }, 200);
  })
  .get('/projects/:id/review/:promptId', requireUser, projectAccess('lead'), validate('param', promptParam), validate('query', reviewPromptQuerySchema), async (c) => {
    const { store, project } = c.var;
    const { promptId } = c.req.valid('param');
    const picked = selectCriterion(project.criteria, c.req.valid('query').criterion);
    if (!picked.ok) return apiError(c, 400, 'unknown_criterion', picked.message);
    const { selection } = picked;
    const prompt = await store.review.prompt(project.id, promptId);
    if (!prompt) return apiError(c, 404, 'not_found', `prompt ${promptId} is not in this project`);
    const excludedLabelers = await store.review.excludedAuthors(promptId);
    const stored = await store.results.rankings(promptId);
    // Computed here rather than read from SQL: the prompt's own exclusion must not hide how its labelers ranked it.
    const counted = stored.filter((r) => !r.excluded && !r.notRankable && !excludedLabelers.includes(r.userId));
    const means = meanRanksUnder(counted, selection);
    const body: ReviewPrompt = {
      promptId: prompt.id,
      externalId: prompt.externalId,
      messages: prompt.messages,
      responses: (await store.results.responses(promptId)).map((r) => ({ id: r.id, text: r.text, model: r.model, meanRank: means.get(r.id) ?? null })),
      consensus: consensusOrder(means),
      rankings: stored.map(({ promptId: _p, counted: _c, criteria, ...r }) => ({ ...r, ...shownRanking({ ...r, criteria }, selection, project.criteria) })),
      ...promptFigures(counted.map((r) => rankingUnder(r, selection).ranking)),
      criterion: selection.key,
      excluded: prompt.excluded,
      extraLabelers: prompt.extraLabelers,
      labelersPerPrompt: project.labelersPerPrompt,
      keptRankings: prompt.keptRankings,
      openToLabelers: await store.review.openToLabelers(project.id, promptId),
      excludedLabelers,
    };
    return c.json({ prompt: body }, 200);
  })
  .post('/projects/:id/prompts/:promptId/extra-labels', requireUser, projectAccess('lead'), validate('param', promptParam), async (c) => {
    const { store, project, user } = c.var;
    const { promptId } = c.req.valid('param');
    const extraLabelers = await store.review.addExtraLabeler(project, promptId);
    if (extraLabelers === null) return apiError(c, 404, 'not_found', `prompt ${promptId} is not in this project`);
    await store.audit.record(user.id, 'prompt.extra-labels', `projects/${project.id}/prompts/${promptId}`, { extraLabelers });
    // The place is kept even when nobody can fill it yet (a labeler added later will be offered it); the page says so.
    const body: ExtraLabelsResult = { promptId, extraLabelers, openToLabelers: await store.review.openToLabelers(project.id, promptId) };
    return c.json(body, 200);
  })
  .post('/projects/:id/prompts/:promptId/exclusion', requireUser, projectAccess('lead'), validate('param', promptParam), validate('json', exclusionSchema), async (c) => {
    const { store, project, user } = c.var;
    const { promptId } = c.req.valid('param');
    const { excluded, reason } = c.req.valid('json');
    if (!await store.review.setPromptExcluded(project.id, promptId, excluded)) return apiError(c, 404, 'not_found', `prompt ${promptId} is not in this project`);
    await store.audit.record(user.id, excluded ? 'prompt.exclude' : 'prompt.include', `projects/${project.id}/prompts/${promptId}`, { reason });
    return c.json({ promptId, excluded }, 200);
  })
  .post('/projects/:id/members/:userId/exclusion', requireUser, projectAccess('lead'), validate('param', memberParam), validate('json', exclusionSchema), async (c) => {
    const { store, project, user } = c.var;
    const { userId } = c.req.valid('param');
    const { excluded, reason } = c.req.valid('json');
    if (!await store.review.setMemberExcluded(project.id, userId, excluded)) return apiError(c, 404, 'not_found', `user ${userId} is not a member of this project`);
    await store.audit.record(user.id, excluded ? 'member.exclude' : 'member.include', memberTarget(project.id, userId), { reason });
    return c.json({ userId, excluded }, 200);
  })
  .post('/projects/:id/rankings/:rankingId/exclusion', requireUser, projectAccess('lead'), validate('param', rankingParam), validate('json', exclusionSchema), async (c) => {
    const { store, project, user } = c.var;
    const { rankingId } = c.req.valid('param');
    const { excluded, reason } = c.req.valid('json');
    if (!await store.review.setRankingExcluded(project.id, rankingId, excluded)) return apiError(c, 404, 'not_found', `ranking ${rankingId} is not in this project`);
    await store.audit.record(user.id, excluded ? 'ranking.exclude' : 'ranking.include', `projects/${project.id}/rankings/${rankingId}`, { reason });
    return c.json({ rankingId, excluded }, 200);
  });

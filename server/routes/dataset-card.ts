import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { selectCriterion } from '../ranking/criterion-selection.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { exportSettingsSchema, settingsForProject, exportReadFor } from '../export/export-lines.ts';
import { tallyExport } from '../export/export-summary.ts';
import { addSkipped, datasetCardFor } from '../export/dataset-card-source.ts';

/** The Hugging Face dataset card (README.md) of the train and test files these settings export, for the export page's download. */
export const datasetCardRoutes = new Hono<AppEnv>().get('/projects/:id/export/card', requireUser, projectAccess('lead'), validate('query', exportSettingsSchema), async (c) => {
  const { store, project } = c.var;
  const settings = settingsForProject(c.req.valid('query'), project);
  const picked = selectCriterion(project.criteria, settings.criterion);
  if (!picked.ok) return apiError(c, 400, 'unknown_criterion', picked.message);
  const view = exportReadFor(settings, project, picked.selection);
  // One tally per side: each split file has its own skips and duplicates, as `--dataset-dir` writes them.
  const repeatedContexts = await store.exportSource.repeatedContexts(project.id, settings);
  const tally = async (split: 'train' | 'test') => (await tallyExport(store.exportSource.batches(project.id, view), { ...settings, split }, { repeatedContexts })).counts;
  const train = await tally('train');
  const test = await tally('test');
  const card = await datasetCardFor(store, project, picked.selection, settings, { train: train.train, test: train.test }, addSkipped(train.skipped, test.skipped));
  c.header('content-type', 'text/markdown; charset=utf-8');
  c.header('content-disposition', 'attachment; filename="README.md"');
  return c.body(card, 200);
});

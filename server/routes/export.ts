import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { selectCriterion } from '../ranking/criterion-selection.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { exportSettingsSchema, settingsForProject, exportReadFor, type ExportSettings } from '../export/export-lines.ts';
import { streamExport } from '../export/stream-export.ts';
import { tallyExport } from '../export/export-summary.ts';
import { exportManifest, headlineAgreement } from '../export/export-manifest.ts';
import { agreementReport } from '../metrics/agreement-report.ts';
import { podiumVersion } from '../version.ts';

export const summaryQuerySchema = exportSettingsSchema.extend({
  preview: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().pipe(z.number().int().min(0).max(50)).default(5)),
});

/** One file name per settings, so a file and its manifest sit side by side. */
const fileName = (projectId: number, settings: ExportSettings, suffix: string): string =>
  `podium-${projectId}-${settings.format}${settings.split ? `-${settings.split}` : ''}${suffix}`;

/** The JSONL itself, how much a set of settings would give (with a preview), and the manifest to keep beside the file. */
export const exportRoutes = new Hono<AppEnv>()
  .get('/projects/:id/export', requireUser, projectAccess('lead'), validate('query', exportSettingsSchema), async (c) => {
    const { store, project, user } = c.var;
    const settings = settingsForProject(c.req.valid('query'), project);
    const picked = selectCriterion(project.criteria, settings.criterion);
    if (!picked.ok) return apiError(c, 400, 'unknown_criterion', picked.message);
    const view = exportReadFor(settings, project, picked.selection);
    await store.audit.record(user.id, 'project.export', String(project.id), settings);
    c.header('content-type', 'application/x-ndjson; charset=utf-8');
    c.header('content-disposition', `attachment; filename="${fileName(project.id, settings, '.jsonl')}"`);
    return stream(c, async (s) => {
      let aborted = false;
      s.onAbort(() => {
        aborted = true;
      });
      const repeated = await store.exportSource.repeatedContexts(project.id, settings);
      const counts = await streamExport(store.exportSource.batches(project.id, view), settings, (chunk) => s.write(chunk), () => aborted, repeated);
      // How far the export got: a client that went away leaves a short count and aborted: true.
      await store.audit.record(user.id, 'project.export.end', String(project.id), { ...counts, aborted });
    });
  })
  .get('/projects/:id/export/summary', requireUser, projectAccess('lead'), validate('query', summaryQuerySchema), async (c) => {
    const { store, project } = c.var;
    const { preview: previewSize, ...query } = c.req.valid('query');
    const settings = settingsForProject(query, project);
    const picked = selectCriterion(project.criteria, settings.criterion);
    if (!picked.ok) return apiError(c, 400, 'unknown_criterion', picked.message);
    const { counts, preview } = await tallyExport(store.exportSource.batches(project.id, exportReadFor(settings, project, picked.selection)), settings, { preview: previewSize, repeatedContexts: await store.exportSource.repeatedContexts(project.id, settings) });
    return c.json({ ...counts, testFraction: settings.testFraction, preview }, 200);
  })
  .get('/projects/:id/export/manifest', requireUser, projectAccess('lead'), validate('query', exportSettingsSchema), async (c) => {
    const { store, project, user } = c.var;
    const settings = settingsForProject(c.req.valid('query'), project);
    const picked = selectCriterion(project.criteria, settings.criterion);
    if (!picked.ok) return apiError(c, 400, 'unknown_criterion', picked.message);
    const { counts } = await tallyExport(store.exportSource.batches(project.id, exportReadFor(settings, project, picked.selection)), settings, { repeatedContexts: await store.exportSource.repeatedContexts(project.id, settings) });
    const manifest = exportManifest({
      podiumVersion,
      generatedAt: new Date(),
      project,
      settings,
      tally: counts,
      // The agreement page's figures (same counted rankings), without its bootstrap, which would cost seconds for a download.
      agreement: headlineAgreement(agreementReport(await store.agreementSource.rankings(project.id, picked.selection))),
    });
    await store.audit.record(user.id, 'project.export.manifest', String(project.id), settings);
    c.header('content-disposition', `attachment; filename="${fileName(project.id, settings, '.manifest.json')}"`);
    return c.json(manifest, 200);
  });

import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import type { AppEnv } from '../http/env.ts';
import { validate } from '../http/errors.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { exportSettingsSchema } from '../export/export-lines.ts';
import { streamExport } from '../export/stream-export.ts';

export const exportRoutes = new Hono<AppEnv>().get('/projects/:id/export', requireUser, projectAccess('lead'), validate('query', exportSettingsSchema), (c) => {
  const { store, project, user } = c.var;
  const query = c.req.valid('query');
  const settings = { ...query, minLabelers: query.minLabelers ?? project.labelersPerPrompt };
  store.audit.record(user.id, 'project.export', String(project.id), settings);
  c.header('content-type', 'application/x-ndjson; charset=utf-8');
  c.header('content-disposition', `attachment; filename="podium-${project.id}-${settings.format}${settings.split ? `-${settings.split}` : ''}.jsonl"`);
  return stream(c, async (s) => {
    let aborted = false;
    s.onAbort(() => {
      aborted = true;
    });
    await streamExport(store.exportSource.batches(project.id), settings, (chunk) => s.write(chunk), () => aborted);
  });
});

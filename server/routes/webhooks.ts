import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { projectAccess } from '../auth/middleware.ts';
import { idSchema } from '../../shared/ids.ts';
import { createWebhookSchema, deliveriesQuerySchema, updateWebhookSchema } from '../../shared/webhooks.ts';
import { hostRefusal } from '../webhooks/delivery-rules.ts';

/** More than this per project is a script gone wrong; each hook is a POST per event. */
export const maxWebhooksPerProject = 20;

// `id` is listed so the typed client still asks for the project id (a param validator's input replaces the path's).
const webhookParam = z.object({ id: z.string(), webhookId: idSchema });

/** PODIUM_WEBHOOK_HOSTS, as a 400 about the `url` field like zod's own issues. */
function refusedHost(c: Context<AppEnv>, url: string) {
  const refusal = hostRefusal(url, c.get('webhooks').hosts);
  return refusal ? apiError(c, 400, 'host_not_allowed', `url: ${refusal}`, [{ code: 'custom', path: ['url'], message: refusal }]) : null;
}

const notFound = (c: Context<AppEnv>, webhookId: number) => apiError(c, 404, 'not_found', `webhook ${webhookId} does not exist in this project`);

// Leads of the project and admins (server/auth/access-policy.ts). No answer ever carries a secret: the store's views
// have no such field, only `secretSet: true`.
export const webhookRoutes = new Hono<AppEnv>()
  .get('/projects/:id/webhooks', projectAccess('lead'), async (c) => c.json({ webhooks: await c.var.store.webhooks.list(c.var.project.id) }, 200))
  .post('/projects/:id/webhooks', projectAccess('lead'), validate('json', createWebhookSchema), async (c) => {
    const { store, project, user } = c.var;
    const input = c.req.valid('json');
    const refused = refusedHost(c, input.url);
    if (refused) return refused;
    if ((await store.webhooks.count(project.id)) >= maxWebhooksPerProject) {
      return apiError(c, 409, 'too_many_webhooks', `a project has at most ${maxWebhooksPerProject} webhooks; delete one first`);
    }
    const webhook = await store.webhooks.create(project.id, input, user.id);
    await store.audit.record(user.id, 'webhook.create', String(project.id), { webhookId: webhook.id, url: webhook.url, events: webhook.events });
    return c.json({ webhook }, 201);
  })
  // Registered before DELETE: the access test walks routes in this order with one fixture webhook.
  .get('/projects/:id/webhooks/:webhookId/deliveries', projectAccess('lead'), validate('param', webhookParam), validate('query', deliveriesQuerySchema), async (c) => {
    const { webhookId } = c.req.valid('param');
    const deliveries = await c.var.store.webhooks.deliveries(c.var.project.id, webhookId, c.req.valid('query').limit);
    return deliveries ? c.json({ deliveries }, 200) : notFound(c, webhookId);
  })
  .patch('/projects/:id/webhooks/:webhookId', projectAccess('lead'), validate('param', webhookParam), validate('json', updateWebhookSchema), async (c) => {
    const { store, project, user } = c.var;
    const { webhookId } = c.req.valid('param');
    const change = c.req.valid('json');
    if (change.url !== undefined) {
      const refused = refusedHost(c, change.url);
      if (refused) return refused;
    }
    const webhook = await store.webhooks.update(project.id, webhookId, change);
    if (!webhook) return notFound(c, webhookId);
    // which fields changed, never the secret itself
    await store.audit.record(user.id, 'webhook.update', String(project.id), { webhookId, changed: Object.keys(change).sort(), url: webhook.url, active: webhook.active });
    return c.json({ webhook }, 200);
  })
  // Deleting twice is harmless: the second answer says nothing was deleted.
  .delete('/projects/:id/webhooks/:webhookId', projectAccess('lead'), validate('param', webhookParam), async (c) => {
    const { store, project, user } = c.var;
    const { webhookId } = c.req.valid('param');
    const deleted = await store.webhooks.remove(project.id, webhookId);
    if (deleted) await store.audit.record(user.id, 'webhook.delete', String(project.id), { webhookId });
    return c.json({ ok: true as const, deleted }, 200);
  });

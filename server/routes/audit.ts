import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { validate } from '../http/errors.ts';
import { auditQuerySchema } from '../../shared/accounts.ts';

/** The audit log, newest first, paged by `before` (an entry id). Admins only: server/auth/access-policy.ts. */
export const auditRoutes = new Hono<AppEnv>().get('/audit', validate('query', auditQuerySchema), async (c) => {
  const query = c.req.valid('query');
  const entries = await c.var.store.accounts.auditPage(query);
  const last = entries[entries.length - 1];
  return c.json({ entries, nextBefore: entries.length === query.limit && last ? last.id : null }, 200);
});

import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { createUserSchema } from '../../shared/users.ts';
import { resetPasswordSchema, updateUserSchema } from '../../shared/accounts.ts';
import { z } from 'zod';
import { hashPassword } from '../auth/password.ts';
import { requireAdmin, requireUser } from '../auth/middleware.ts';

const userIdParam = z.object({ id: z.coerce.number().int().positive() });

export const userRoutes = new Hono<AppEnv>()
  .get('/users', requireUser, requireAdmin, async (c) => c.json({ users: await c.var.store.users.list() }, 200))
  .post('/users', requireUser, requireAdmin, validate('json', createUserSchema), async (c) => {
    const input = c.req.valid('json');
    const user = await c.var.store.users.create(input.username, await hashPassword(input.password), input.role);
    if (!user) return apiError(c, 409, 'username_taken', `the username "${input.username}" is taken`);
    await c.var.store.audit.record(c.var.user.id, 'user.create', input.username, { role: input.role });
    return c.json({ user }, 201);
  })
  .patch('/users/:id', validate('param', userIdParam), validate('json', updateUserSchema), async (c) => {
    const { store, user: me } = c.var;
    const { id } = c.req.valid('param');
    const { disabled, role } = c.req.valid('json');
    const target = await store.users.byId(id);
    if (!target) return apiError(c, 404, 'not_found', `user ${id} does not exist`);
    // Nobody can lock the last admin out, themselves included.
    const losesAdmin = target.role === 'admin' && !target.disabled && (disabled === true || (role !== undefined && role !== 'admin'));
    if (losesAdmin && await store.accounts.activeAdminCount() <= 1) return apiError(c, 409, 'last_admin', 'this is the last active admin');
    if (id === me.id && disabled === true) return apiError(c, 409, 'self_disable', 'you cannot disable your own account');
    if (role !== undefined && role !== target.role) {
      await store.accounts.setRole(id, role);
      await store.audit.record(me.id, 'user.role', target.username, { from: target.role, to: role });
    }
    if (disabled !== undefined && disabled !== target.disabled) {
      await store.accounts.setDisabled(id, disabled);
      await store.audit.record(me.id, disabled ? 'user.disable' : 'user.enable', target.username);
    }
    const updated = await store.users.byId(id);
    if (!updated) return apiError(c, 404, 'not_found', `user ${id} does not exist`);
    return c.json({ user: updated }, 200);
  })
  .post('/users/:id/password', validate('param', userIdParam), validate('json', resetPasswordSchema), async (c) => {
    const { store, user: me } = c.var;
    const { id } = c.req.valid('param');
    const target = await store.users.byId(id);
    if (!target) return apiError(c, 404, 'not_found', `user ${id} does not exist`);
    await store.accounts.setPassword(id, await hashPassword(c.req.valid('json').password));
    const ended = await store.accounts.revokeAllSessions(id);
    await store.audit.record(me.id, 'user.password.reset', target.username, { endedSessions: ended });
    return c.json({ ok: true as const, endedSessions: ended }, 200);
  })
  .delete('/users/:id/sessions', validate('param', userIdParam), async (c) => {
    const { store, user: me } = c.var;
    const { id } = c.req.valid('param');
    const target = await store.users.byId(id);
    if (!target) return apiError(c, 404, 'not_found', `user ${id} does not exist`);
    const ended = await store.accounts.revokeAllSessions(id);
    await store.audit.record(me.id, 'user.sessions.revoke', target.username, { endedSessions: ended });
    return c.json({ ok: true as const, endedSessions: ended }, 200);
  });

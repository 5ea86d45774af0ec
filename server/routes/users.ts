import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { createUserSchema } from '../../shared/users.ts';
import { resetPasswordSchema, updateUserSchema } from '../../shared/accounts.ts';
import { z } from 'zod';
import { idSchema } from '../../shared/ids.ts';
import { hashPassword } from '../auth/password.ts';
import { refuseWeakPassword } from '../auth/password-policy.ts';
import { requireAdmin, requireUser } from '../auth/middleware.ts';

const userIdParam = z.object({ id: idSchema });
const userTokenParam = z.object({ id: idSchema, tokenId: idSchema });

export const userRoutes = new Hono<AppEnv>()
  .get('/users', requireUser, requireAdmin, async (c) => c.json({ users: await c.var.store.users.list() }, 200))
  .post('/users', requireUser, requireAdmin, validate('json', createUserSchema), async (c) => {
    const input = c.req.valid('json');
    const weak = refuseWeakPassword(c, 'password', input.password, input.username);
    if (weak) return weak;
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
    const { password } = c.req.valid('json');
    const weak = refuseWeakPassword(c, 'password', password, target.username);
    if (weak) return weak;
    await store.accounts.setPassword(id, await hashPassword(password));
    // A reset is what an admin does for a compromised account: the tokens made with the old password die with it.
    const ended = await store.accounts.signOutEverywhere(id);
    await store.audit.record(me.id, 'user.password.reset', target.username, ended);
    return c.json({ ok: true as const, ...ended }, 200);
  })
  .delete('/users/:id/sessions', validate('param', userIdParam), async (c) => {
    const { store, user: me } = c.var;
    const { id } = c.req.valid('param');
    const target = await store.users.byId(id);
    if (!target) return apiError(c, 404, 'not_found', `user ${id} does not exist`);
    const ended = await store.accounts.signOutEverywhere(id);
    await store.audit.record(me.id, 'user.sessions.revoke', target.username, ended);
    return c.json({ ok: true as const, ...ended }, 200);
  })
  .get('/users/:id/tokens', validate('param', userIdParam), async (c) => {
    const { id } = c.req.valid('param');
    if (!await c.var.store.users.byId(id)) return apiError(c, 404, 'not_found', `user ${id} does not exist`);
    return c.json({ tokens: await c.var.store.accounts.tokensOf(id) }, 200);
  })
  .delete('/users/:id/tokens/:tokenId', validate('param', userTokenParam), async (c) => {
    const { store, user: me } = c.var;
    const { id, tokenId } = c.req.valid('param');
    const target = await store.users.byId(id);
    if (!target || !await store.accounts.revokeToken(id, tokenId)) return apiError(c, 404, 'not_found', `user ${id} has no live token ${tokenId}`);
    await store.audit.record(me.id, 'user.token.revoke', target.username, { tokenId });
    return c.json({ ok: true as const }, 200);
  });

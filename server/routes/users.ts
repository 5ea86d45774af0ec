import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError, validate } from '../http/errors.ts';
import { createUserSchema } from '../../shared/users.ts';
import { hashPassword } from '../auth/password.ts';
import { requireAdmin, requireUser } from '../auth/middleware.ts';

export const userRoutes = new Hono<AppEnv>()
  .get('/users', requireUser, requireAdmin, (c) => c.json({ users: c.var.store.users.list() }, 200))
  .post('/users', requireUser, requireAdmin, validate('json', createUserSchema), async (c) => {
    const input = c.req.valid('json');
    const user = c.var.store.users.create(input.username, await hashPassword(input.password), input.role);
    if (!user) return apiError(c, 409, 'username_taken', `the username "${input.username}" is taken`);
    c.var.store.audit.record(c.var.user.id, 'user.create', input.username, { role: input.role });
    return c.json({ user }, 201);
  });

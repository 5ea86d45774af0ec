import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { idSchema } from '../../shared/ids.ts';
import { apiError, validate } from '../http/errors.ts';
import { addMemberSchema, createProjectSchema, type ProjectWithProgress } from '../../shared/projects.ts';
import { projectAccess, requireUser } from '../auth/middleware.ts';
import { refusalMessage } from '../import/parse-import.ts';
import { importLines } from '../import/import-lines.ts';
import { bodyLines } from '../http/body-stream.ts';
import type { Store } from '../store/store.ts';
import type { Project } from '../../shared/projects.ts';
import type { SessionUser } from '../store/sessions.ts';

async function withProgress(store: Store, project: Project, user: SessionUser): Promise<ProjectWithProgress> {
  const memberRole = await store.projects.memberRole(project.id, user.id);
  const myRole = user.role === 'admin' || (memberRole === 'lead' && user.role === 'lead') ? 'lead' : 'labeler';
  const progress = await store.projects.progress(project);
  // Labelers see how far the project is, not how much each colleague did.
  return { ...project, myRole, progress: myRole === 'lead' ? progress : { ...progress, labelers: [] } };
}

// `id` is listed so the typed client still asks for the project id (a param validator's input replaces the path's).
const memberParam = z.object({ id: z.string(), userId: idSchema });

export const projectRoutes = new Hono<AppEnv>()
  .use('/projects/*', requireUser)
  .use('/projects', requireUser)
  .get('/projects', async (c) => {
    const { store, user } = c.var;
    const projects = user.role === 'admin' ? await store.projects.list() : await store.projects.listForMember(user.id);
    return c.json({ projects: await Promise.all(projects.map((p) => withProgress(store, p, user))) }, 200);
  })
  .post('/projects', validate('json', createProjectSchema), async (c) => {
    const { store, user } = c.var;
    if (user.role === 'labeler') return apiError(c, 403, 'forbidden', 'only a lead or an admin may create projects');
    const project = await store.projects.create(c.req.valid('json'), user.id);
    await store.audit.record(user.id, 'project.create', String(project.id));
    return c.json({ project }, 201);
  })
  .get('/projects/:id', projectAccess('member'), async (c) => c.json({ project: await withProgress(c.var.store, c.var.project, c.var.user) }, 200))
  .post('/projects/:id/members', projectAccess('lead'), validate('json', addMemberSchema), async (c) => {
    const { store, project, user } = c.var;
    const { userId } = c.req.valid('json');
    const member = await store.users.byId(userId);
    if (!member) return apiError(c, 400, 'unknown_user', `user ${userId} does not exist`);
    // A lead staffs the project with labelers; making someone a co-lead (or adding an admin) is an admin's decision.
    if (user.role !== 'admin' && member.role !== 'labeler') return apiError(c, 403, 'forbidden', `only an admin may add a ${member.role} to a project`);
    await store.projects.addMember(project.id, userId, member.role === 'lead' ? 'lead' : 'labeler');
    await store.audit.record(user.id, 'project.member.add', String(project.id), { userId });
    return c.json({ ok: true }, 201);
  })
  .get('/projects/:id/member-candidates', projectAccess('lead'), async (c) => {
    const { store, project, user } = c.var;
    return c.json({ candidates: await store.projects.memberCandidates(project.id, user.role !== 'admin') }, 200);
  })
  .delete('/projects/:id/members/:userId', projectAccess('lead'), validate('param', memberParam), async (c) => {
    const { store, project, user } = c.var;
    const { userId } = c.req.valid('param');
    const role = await store.projects.memberRole(project.id, userId);
    // Removing is idempotent: someone who is not a member is already where the caller wants them.
    if (!role) return c.json({ ok: true as const, removed: false }, 200);
    if (user.role !== 'admin' && role !== 'labeler') return apiError(c, 403, 'forbidden', 'only an admin may remove a lead from a project');
    await store.projects.removeMember(project.id, userId);
    await store.audit.record(user.id, 'project.member.remove', String(project.id), { userId });
    return c.json({ ok: true as const, removed: true }, 200);
  })
  .post('/projects/:id/import', projectAccess('lead'), async (c) => {
    const { store, project, user } = c.var;
    // Checked line by line as the upload streams in and staged in pieces, so a 200 MB file is never in memory.
    const outcome = await importLines(store, project, bodyLines(c.req.raw.body));
    if (!outcome.ok) {
      const { parsed } = outcome;
      const { errors: issues, badLines, stoppedAtLine } = parsed;
      return c.json({ error: { code: 'invalid_import', message: refusalMessage(parsed), issues, badLines, ...(stoppedAtLine !== null ? { stoppedAtLine } : {}) } }, 400);
    }
    const { reply } = outcome;
    await store.audit.record(user.id, 'project.import', String(project.id), { imported: reply.imported, skipped: reply.skipped.length });
    return c.json(reply, 200);
  });

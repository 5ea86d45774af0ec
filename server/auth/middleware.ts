import { access } from './access.ts';

export { sessionCookie } from './access.ts';

// Route-level names kept for readability; each is the access check of server/auth/access.ts, which the policy
// table (server/auth/access-policy.ts) has already run for every API route, so they add no second mechanism.
export const requireUser = access('user');
export const requireAdmin = access('admin');
export const requireStaff = access('staff');

/** Loads `:id` as the project and checks the caller may see it (member) or run it (lead). */
export const projectAccess = (level: 'member' | 'lead') => access(level === 'lead' ? 'project-lead' : 'project-member');

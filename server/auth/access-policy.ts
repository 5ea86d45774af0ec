/**
 * Who may call which route: the one table every API request is checked against (server/auth/access.ts),
 * that test/api/access.test.ts walks with every kind of caller, and that docs/access.md is generated from
 * (`npx tsx server/auth/write-access-doc.ts`). A route missing here is refused for everyone (403
 * `no_access_policy`) and fails the access test, so a new route cannot ship open by accident.
 */

export const accessLevels = {
  public: 'anyone, without a session',
  user: 'any signed-in account',
  staff: 'admins and leads',
  admin: 'admins only',
  'project-member': 'admins; members (lead or labeler) of project `:id`; anyone else gets 404, as if it did not exist',
  'project-lead': 'admins; leads of project `:id`; its labelers get 403; anyone else 404',
  'assignment-owner': 'admins; the member the assignment `:id` was handed to; other members of its project 403; anyone else 404',
  'job-lead': 'admins; leads of the project that generation job `:id` samples for; its labelers 403; anyone else 404',
} as const;
export type AccessLevel = keyof typeof accessLevels;

export type RoutePolicy = {
  access: AccessLevel;
  /** Largest request body in bytes; writes default to `defaultBodyLimit`. */
  bodyLimit?: number;
};

const kb = 1024;
const mb = 1024 * kb;
/** A JSON write larger than this is a mistake or an attack. */
export const defaultBodyLimit = 1 * mb;
/** One ranking: K ≤ 9 ids, flags and a comment. */
export const rankingBodyLimit = 64 * kb;
/** Imports are JSONL files with every prompt and response; read as a stream, never buffered whole. */
export const importBodyLimit = 200 * mb;

/** `METHOD /api/path` exactly as the app registers it (Hono pattern syntax). */
export const accessPolicy: Record<string, RoutePolicy> = {
  'GET /api/health': { access: 'public' },
  // the API's shape, as open as the source it is built from; scripts read it before they hold a token
  'GET /api/openapi.json': { access: 'public' },
  'POST /api/auth/login': { access: 'public', bodyLimit: 4 * kb },
  'POST /api/auth/logout': { access: 'user' },
  'GET /api/me': { access: 'user' },
  // who is signed in, if anyone: the single page asks on every load, and "nobody" is an answer, not an error
  'GET /api/session': { access: 'public' },

  // accounts: one's own
  'POST /api/account/password': { access: 'user', bodyLimit: 4 * kb },
  'GET /api/account/sessions': { access: 'user' },
  'DELETE /api/account/sessions/:id': { access: 'user' },
  'GET /api/tokens': { access: 'user' },
  'POST /api/tokens': { access: 'user', bodyLimit: 4 * kb },
  'DELETE /api/tokens/:id': { access: 'user' },

  // accounts: everyone's
  'GET /api/users': { access: 'admin' },
  'POST /api/users': { access: 'admin', bodyLimit: 4 * kb },
  'PATCH /api/users/:id': { access: 'admin', bodyLimit: 4 * kb },
  'POST /api/users/:id/password': { access: 'admin', bodyLimit: 4 * kb },
  'DELETE /api/users/:id/sessions': { access: 'admin' },
  'GET /api/users/:id/tokens': { access: 'admin' },
  'DELETE /api/users/:id/tokens/:tokenId': { access: 'admin' },
  'GET /api/audit': { access: 'admin' },
  'GET /api/invites': { access: 'admin' },
  'POST /api/invites': { access: 'admin', bodyLimit: 4 * kb },
  'POST /api/projects/:id/invites': { access: 'project-lead', bodyLimit: 4 * kb },
  // the invite token in the path is the credential
  'GET /api/invites/:token': { access: 'public' },
  'POST /api/invites/:token/accept': { access: 'public', bodyLimit: 4 * kb },

  // projects
  'GET /api/projects': { access: 'user' },
  'POST /api/projects': { access: 'staff' },
  'GET /api/projects/:id': { access: 'project-member' },
  'GET /api/projects/:id/member-candidates': { access: 'project-lead' },
  'POST /api/projects/:id/members': { access: 'project-lead' },
  'DELETE /api/projects/:id/members/:userId': { access: 'project-lead' },
  'POST /api/projects/:id/import': { access: 'project-lead', bodyLimit: importBodyLimit },
  // the quality loop's settings (docs/quality.md)
  'PATCH /api/projects/:id': { access: 'project-lead', bodyLimit: 4 * kb },

  // labeling
  'POST /api/projects/:id/tasks/next': { access: 'project-member' },
  'GET /api/projects/:id/tasks/counter': { access: 'project-member' },
  'POST /api/assignments/:id/submit': { access: 'assignment-owner', bodyLimit: rankingBodyLimit },
  'POST /api/assignments/:id/skip': { access: 'assignment-owner', bodyLimit: rankingBodyLimit },

  // sampling
  'GET /api/projects/:id/sampling': { access: 'project-lead' },
  'PUT /api/projects/:id/sampling': { access: 'project-lead' },
  'POST /api/projects/:id/sampling/test': { access: 'project-lead' },
  'GET /api/projects/:id/generation-jobs/latest': { access: 'project-lead' },
  'POST /api/projects/:id/generation-jobs': { access: 'project-lead' },
  'GET /api/generation-jobs/:id': { access: 'job-lead' },
  'GET /api/generation-jobs/:id/events': { access: 'job-lead' },
  'POST /api/generation-jobs/:id/cancel': { access: 'job-lead' },

  // AI judges: runs are jobs, watched and cancelled through the generation-job routes above
  'GET /api/projects/:id/judges': { access: 'project-lead' },
  'POST /api/projects/:id/judges': { access: 'project-lead', bodyLimit: 256 * kb },
  'POST /api/projects/:id/judges/:judgeId/runs': { access: 'project-lead' },
  'GET /api/projects/:id/judges/:judgeId/failures': { access: 'project-lead' },

  // what the labels say
  'GET /api/projects/:id/results': { access: 'project-lead' },
  'GET /api/projects/:id/agreement': { access: 'project-lead' },
  'GET /api/projects/:id/agreement/criteria': { access: 'project-lead' },
  'GET /api/projects/:id/leaderboard': { access: 'project-lead' },
  'GET /api/projects/:id/review': { access: 'project-lead' },
  'GET /api/projects/:id/review/:promptId': { access: 'project-lead' },
  'POST /api/projects/:id/prompts/:promptId/extra-labels': { access: 'project-lead', bodyLimit: 4 * kb },
  'POST /api/projects/:id/prompts/:promptId/exclusion': { access: 'project-lead', bodyLimit: 4 * kb },
  'POST /api/projects/:id/members/:userId/exclusion': { access: 'project-lead', bodyLimit: 4 * kb },
  'POST /api/projects/:id/rankings/:rankingId/exclusion': { access: 'project-lead', bodyLimit: 4 * kb },
  // gold prompts, pauses and adaptive overlap (docs/quality.md)
  'GET /api/projects/:id/quality': { access: 'project-lead' },
  'GET /api/projects/:id/prompts/:promptId/gold': { access: 'project-lead' },
  'PUT /api/projects/:id/prompts/:promptId/gold': { access: 'project-lead', bodyLimit: 4 * kb },
  'DELETE /api/projects/:id/prompts/:promptId/gold': { access: 'project-lead' },
  'POST /api/projects/:id/members/:userId/pause': { access: 'project-lead', bodyLimit: 4 * kb },
  'GET /api/projects/:id/export': { access: 'project-lead' },
  'GET /api/projects/:id/export/summary': { access: 'project-lead' },
  'GET /api/projects/:id/export/manifest': { access: 'project-lead' },
  // the Hugging Face dataset card of the train and test files (as `export --dataset-dir` writes it)
  'GET /api/projects/:id/export/card': { access: 'project-lead' },

  // webhooks: their secrets are written, never read back
  'GET /api/projects/:id/webhooks': { access: 'project-lead' },
  'POST /api/projects/:id/webhooks': { access: 'project-lead', bodyLimit: 8 * kb },
  'GET /api/projects/:id/webhooks/:webhookId/deliveries': { access: 'project-lead' },
  'PATCH /api/projects/:id/webhooks/:webhookId': { access: 'project-lead', bodyLimit: 8 * kb },
  'DELETE /api/projects/:id/webhooks/:webhookId': { access: 'project-lead' },
};

export const policyKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

export function policyFor(method: string, path: string): RoutePolicy | undefined {
  // HEAD is served by the GET route in Hono
  return accessPolicy[policyKey(method === 'HEAD' ? 'GET' : method, path)];
}

export function bodyLimitFor(method: string, policy: RoutePolicy): number {
  return policy.bodyLimit ?? defaultBodyLimit;
}

/** The callers the access test plays and docs/access.md describes, relative to one project `P`. */
export const callers = {
  anonymous: 'no session, no token',
  labeler: 'labeler, member of P (and holder of the assignment)',
  outsider: 'labeler, not a member of P',
  'other-lead': 'lead of another project, not of P',
  lead: 'lead of P',
  admin: 'admin',
} as const;
export type Caller = keyof typeof callers;

/** What each level promises each caller: 'allow' or the refusal status. */
export function expectedOutcome(level: AccessLevel, caller: Caller): 'allow' | 401 | 403 | 404 {
  if (level === 'public') return 'allow';
  if (caller === 'anonymous') return 401;
  if (caller === 'admin') return 'allow';
  switch (level) {
    case 'user':
      return 'allow';
    case 'staff':
      return caller === 'lead' || caller === 'other-lead' ? 'allow' : 403;
    case 'admin':
      return 403;
    case 'project-member':
      return caller === 'labeler' || caller === 'lead' ? 'allow' : 404;
    case 'project-lead':
    case 'job-lead':
      return caller === 'lead' ? 'allow' : caller === 'labeler' ? 403 : 404;
    case 'assignment-owner':
      return caller === 'labeler' ? 'allow' : caller === 'lead' ? 403 : 404;
  }
}

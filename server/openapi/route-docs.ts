import { z } from 'zod';
import { loginSchema, createUserSchema } from '../../shared/users.ts';
import { acceptInviteSchema, auditQuerySchema, changePasswordSchema, createInviteSchema, createProjectInviteSchema, createTokenSchema, resetPasswordSchema, updateUserSchema } from '../../shared/accounts.ts';
import { addMemberSchema, createProjectSchema, projectSchema, projectWithProgressSchema } from '../../shared/projects.ts';
import { assignmentViewSchema, labelerCounterSchema, skipSchema, submitQuerySchema, submitReplySchema, submitSchema } from '../../shared/tasks.ts';
import { samplingSettingsInputSchema, startJobSchema, generationJobSchema } from '../../shared/sampling.ts';
import { resultsPageSchema } from '../../shared/results.ts';
import { createJudgeSchema, judgeFailureSchema, judgeSchema, startJudgeRunSchema } from '../../shared/judges.ts';
import { criteriaAgreementSchema, projectAgreementSchema } from '../../shared/agreement.ts';
import { leaderboardQuerySchema, leaderboardSchema } from '../../shared/leaderboard.ts';
import { agreementQuerySchema, exclusionSchema, reviewPromptQuerySchema, reviewQuerySchema } from '../../shared/review.ts';
import { exportManifestSchema, exportSummarySchema } from '../../shared/export-reports.ts';
import { exportSettingsSchema } from '../export/export-lines.ts';
import { summaryQuerySchema } from '../routes/export.ts';
import { resultsPageQuerySchema } from '../routes/results.ts';
import { createWebhookSchema, deliveriesQuerySchema, updateWebhookSchema, webhookDeliverySchema, webhookSchema } from '../../shared/webhooks.ts';
import { goldRankingSchema, patchProjectSchema, pauseSchema, qualitySummarySchema } from '../../shared/quality.ts';

type Content = 'json' | 'ndjson' | 'markdown' | 'event-stream';
/** A documented answer: a zod schema of the body (the one the client's types come from), or a described object. */
export type ResponseDoc = { description: string; schema?: z.ZodType; content?: Content };
export type RouteDoc = {
  summary: string;
  tag: string;
  /** The query schema the route validates with (a z.object), read as one parameter per key. */
  query?: z.ZodObject;
  /** The JSON body schema the route validates with, or a JSONL upload. */
  body?: z.ZodType | 'jsonl';
  responses: Record<number, ResponseDoc>;
};

const ok = z.object({ ok: z.literal(true) });
const described = (description: string): ResponseDoc => ({ description });
const json = (description: string, schema: z.ZodType): ResponseDoc => ({ description, schema });
const unknownCriterion = described('`criterion` names no criterion of the project; the message lists its keys');


/**
 * Every route of the access table (server/auth/access-policy.ts) with what the OpenAPI document says about it. The
 * request schemas are the very objects the routes validate with; test/api/openapi.test.ts checks that the app serves
 * no route missing here.
 */
export const routeDocs: Record<string, RouteDoc> = {
  'GET /api/health': { tag: 'meta', summary: 'Liveness', responses: { 200: json('the server answers', ok) } },
  'GET /api/openapi.json': { tag: 'meta', summary: 'This OpenAPI 3.1 document', responses: { 200: described('the document') } },
  'POST /api/auth/login': { tag: 'auth', summary: 'Sign in; sets the session cookie. Repeated failures are throttled (429)', body: loginSchema, responses: { 200: described('`{ user }`'), 429: described('too many failed attempts') } },
  'POST /api/auth/logout': { tag: 'auth', summary: 'End this session', responses: { 200: json('signed out', ok) } },
  'GET /api/me': { tag: 'auth', summary: 'The signed-in account (401 when nobody is)', responses: { 200: described('`{ user }`') } },
  'GET /api/session': { tag: 'auth', summary: 'Who is signed in, if anyone', responses: { 200: described('`{ user }`, or `{ user: null }`') } },

  'POST /api/account/password': { tag: 'account', summary: 'Change your password (ends your other sessions)', body: changePasswordSchema, responses: { 200: described('`{ ok, endedSessions }`') } },
  'GET /api/account/sessions': { tag: 'account', summary: 'Your sessions', responses: { 200: described('`{ sessions }`') } },
  'DELETE /api/account/sessions/:id': { tag: 'account', summary: 'End one of your sessions', responses: { 200: json('ended', ok) } },
  'GET /api/tokens': { tag: 'account', summary: 'Your API tokens (never their secrets)', responses: { 200: described('`{ tokens }`') } },
  'POST /api/tokens': { tag: 'account', summary: 'Create an API token; the secret is shown once', body: createTokenSchema, responses: { 201: described('`{ token, apiToken }`') } },
  'DELETE /api/tokens/:id': { tag: 'account', summary: 'Revoke an API token', responses: { 200: json('revoked', ok) } },

  'GET /api/users': { tag: 'users', summary: 'Every account', responses: { 200: described('`{ users }`') } },
  'POST /api/users': { tag: 'users', summary: 'Create an account', body: createUserSchema, responses: { 201: described('`{ user }`'), 409: described('the username is taken') } },
  'PATCH /api/users/:id': { tag: 'users', summary: 'Change a role or disable an account', body: updateUserSchema, responses: { 200: described('`{ user }`') } },
  'POST /api/users/:id/password': { tag: 'users', summary: "Reset an account's password (ends its sessions and revokes its API tokens)", body: resetPasswordSchema, responses: { 200: described('`{ ok, endedSessions, revokedTokens }`') } },
  'DELETE /api/users/:id/sessions': { tag: 'users', summary: 'Sign an account out everywhere: every session ends and every API token is revoked', responses: { 200: described('`{ ok, endedSessions, revokedTokens }`') } },
  'GET /api/users/:id/tokens': { tag: 'users', summary: "An account's API tokens (never their secrets)", responses: { 200: described('`{ tokens }`') } },
  'DELETE /api/users/:id/tokens/:tokenId': { tag: 'users', summary: "Revoke one of an account's API tokens", responses: { 200: json('revoked', ok) } },
  'GET /api/audit': { tag: 'users', summary: 'The audit log, newest first', query: auditQuerySchema, responses: { 200: described('`{ entries, nextBefore }`') } },
  'GET /api/invites': { tag: 'invites', summary: 'Pending invites', responses: { 200: described('`{ invites }`') } },
  'POST /api/invites': { tag: 'invites', summary: 'Create an expiring one-time invite link', body: createInviteSchema, responses: { 201: described('the invite and its link') } },
  'POST /api/projects/:id/invites': { tag: 'invites', summary: 'Invite a labeler to this project', body: createProjectInviteSchema, responses: { 201: described('the invite and its link') } },
  'GET /api/invites/:token': { tag: 'invites', summary: 'What an invite link is for', responses: { 200: described('`{ invite }`') } },
  'POST /api/invites/:token/accept': { tag: 'invites', summary: 'Accept an invite: create the account', body: acceptInviteSchema, responses: { 201: described('`{ user }`') } },

  'GET /api/projects': { tag: 'projects', summary: 'Your projects with progress', responses: { 200: json('the projects', z.object({ projects: z.array(projectWithProgressSchema) })) } },
  'POST /api/projects': { tag: 'projects', summary: 'Create a project (lead or admin)', body: createProjectSchema, responses: { 201: json('the project', z.object({ project: projectSchema })) } },
  'GET /api/projects/:id': { tag: 'projects', summary: 'The project with progress counts', responses: { 200: json('the project', z.object({ project: projectWithProgressSchema })) } },
  'GET /api/projects/:id/member-candidates': { tag: 'projects', summary: 'Who may be added: enabled labelers for a lead, every account for an admin', responses: { 200: described('`{ candidates: [{ id, username, role }] }`') } },
  'DELETE /api/projects/:id/members/:userId': { tag: 'projects', summary: 'Remove a member (a lead: labelers only); their open task goes back to the pool, their rankings stay', responses: { 200: described('`{ ok, removed }`') } },
  'POST /api/projects/:id/members': { tag: 'projects', summary: 'Add a labeler (or lead) to the project', body: addMemberSchema, responses: { 201: json('added', ok) } },
  'POST /api/projects/:id/import': {
    tag: 'projects',
    summary: 'Import prompts (and responses) from JSONL, up to 200 MB: all lines or none',
    body: 'jsonl',
    responses: { 200: described('`{ imported, skipped, responses, warnings, warningLines }`'), 413: described('the body is over 200 MB') },
  },

  'POST /api/projects/:id/tasks/next': {
    tag: 'labeling',
    summary: "The next task for this labeler; the same open task again if there is one",
    responses: { 200: json('a task', z.object({ assignment: assignmentViewSchema })), 204: described('nothing is left for this labeler') },
  },
  'GET /api/projects/:id/tasks/counter': { tag: 'labeling', summary: 'How much this labeler did and has left', responses: { 200: json('the counter', z.object({ counter: labelerCounterSchema })) } },
  'POST /api/assignments/:id/submit': {
    tag: 'labeling',
    summary: 'Submit a ranking; the same payload again is 200, a different one 409',
    query: submitQuerySchema,
    body: submitSchema,
    responses: { 201: json('stored', submitReplySchema), 200: json('the same payload was already stored', submitReplySchema), 409: described('a different ranking was already submitted') },
  },
  'POST /api/assignments/:id/skip': { tag: 'labeling', summary: 'Give the task back, saying why', body: skipSchema, responses: { 200: json('skipped', ok) } },

  'GET /api/projects/:id/sampling': { tag: 'sampling', summary: 'Sampling settings (the key is never returned)', responses: { 200: described('`{ settings }`, null when none are saved') } },
  'PUT /api/projects/:id/sampling': { tag: 'sampling', summary: 'Save the endpoint and policies; the counts add up to K', body: samplingSettingsInputSchema, responses: { 200: described('`{ settings, dropped }`') } },
  'POST /api/projects/:id/sampling/test': { tag: 'sampling', summary: 'Test the connection with one request', responses: { 200: described('`{ result }`: ok with the model and text, or the failure') } },
  'GET /api/projects/:id/generation-jobs/latest': { tag: 'sampling', summary: "The project's latest generation job", responses: { 200: json('the job, or null', z.object({ job: generationJobSchema.nullable() })) } },
  'POST /api/projects/:id/generation-jobs': { tag: 'sampling', summary: 'Sample every missing response; the job survives restarts', body: startJobSchema, responses: { 201: json('the job', z.object({ job: generationJobSchema })) } },
  'GET /api/generation-jobs/:id': { tag: 'sampling', summary: 'A job: sampling (kind generation) or a judge run (kind judge)', responses: { 200: json('the job', z.object({ job: generationJobSchema })) } },
  'GET /api/generation-jobs/:id/events': { tag: 'sampling', summary: "A job's progress as server-sent events", responses: { 200: { description: 'one `job` event per change, each a JSON `{ job }`', content: 'event-stream' } } },
  'POST /api/generation-jobs/:id/cancel': { tag: 'sampling', summary: 'Cancel a job', responses: { 200: json('the job', z.object({ job: generationJobSchema })) } },

  'GET /api/projects/:id/judges': { tag: 'judges', summary: "The project's AI judges (keys are never returned)", responses: { 200: json('the judges', z.object({ judges: z.array(judgeSchema) })) } },
  'POST /api/projects/:id/judges': { tag: 'judges', summary: 'Add an AI judge; the endpoint defaults to the sampling one, with the same key rules', body: createJudgeSchema, responses: { 201: json('the judge', z.object({ judge: judgeSchema })), 409: described('the project has a judge of that name') } },
  'POST /api/projects/:id/judges/:judgeId/runs': { tag: 'judges', summary: 'Let the judge rank every rankable prompt it has not ranked; a job like a generation job', body: startJudgeRunSchema, responses: { 201: json('the job', z.object({ job: generationJobSchema })), 409: described('a run of this judge is active') } },
  'GET /api/projects/:id/judges/:judgeId/failures': { tag: 'judges', summary: "Answers the judge gave that could not be read, with the model's text", responses: { 200: json('newest first', z.object({ failures: z.array(judgeFailureSchema) })) } },

  'GET /api/projects/:id/results': { tag: 'results', summary: 'Per prompt: mean ranks, consensus and every ranking, under one criterion (`criterion=`), from humans, judges or both (`sources=`)', query: resultsPageQuerySchema, responses: { 200: json('a page of results', resultsPageSchema), 400: unknownCriterion } },
  'GET /api/projects/:id/agreement': { tag: 'results', summary: 'Every agreement figure of one criterion, per labeler and labeler pair, with 95% intervals', query: agreementQuerySchema, responses: { 200: json('the figures', projectAgreementSchema), 400: unknownCriterion } },
  'GET /api/projects/:id/agreement/criteria': { tag: 'results', summary: "Each criterion's headline agreement figures side by side", responses: { 200: json('`{ criteria }` in the project\'s order', criteriaAgreementSchema) } },
  'GET /api/projects/:id/leaderboard': { tag: 'results', summary: 'Models or sampling policies ranked by Bradley–Terry strength, from humans, judges or both (`sources=`)', query: leaderboardQuerySchema, responses: { 200: json('the leaderboard', leaderboardSchema), 400: unknownCriterion } },
  'GET /api/projects/:id/review': { tag: 'review', summary: 'Prompts for review, sorted (lowest W first by default), with figures under one criterion', query: reviewQuerySchema, responses: { 200: described('`{ total, offset, sort, criterion, rows }`'), 400: unknownCriterion } },
  'GET /api/projects/:id/review/:promptId': { tag: 'review', summary: 'One prompt with every ranking, for review, under one criterion', query: reviewPromptQuerySchema, responses: { 200: described('`{ prompt }`'), 400: unknownCriterion } },
  'POST /api/projects/:id/prompts/:promptId/extra-labels': { tag: 'review', summary: 'Send a prompt back for more labels', responses: { 200: described('`{ promptId, extraLabelers, openToLabelers }`') } },
  'POST /api/projects/:id/prompts/:promptId/exclusion': { tag: 'review', summary: 'Exclude a prompt, or take it back', body: exclusionSchema, responses: { 200: described('`{ promptId, excluded }`') } },
  'POST /api/projects/:id/members/:userId/exclusion': { tag: 'review', summary: 'Exclude a labeler, or take it back', body: exclusionSchema, responses: { 200: described('`{ userId, excluded }`') } },
  'POST /api/projects/:id/rankings/:rankingId/exclusion': { tag: 'review', summary: 'Exclude one ranking, or take it back', body: exclusionSchema, responses: { 200: described('`{ rankingId, excluded }`') } },
  'PATCH /api/projects/:id': { tag: 'quality', summary: 'Change the quality settings (gold rate, pause threshold, adaptive overlap)', body: patchProjectSchema, responses: { 200: json('the project', z.object({ project: projectSchema })) } },
  'GET /api/projects/:id/quality': { tag: 'quality', summary: 'Gold prompts, paused labelers and the extra labels adaptive overlap spent', responses: { 200: json('the summary', z.object({ quality: qualitySummarySchema })) } },
  'GET /api/projects/:id/prompts/:promptId/gold': { tag: 'quality', summary: "A prompt's known order (gold), or null", responses: { 200: described('`{ promptId, gold }`: tiers of response ids, or null') } },
  'PUT /api/projects/:id/prompts/:promptId/gold': { tag: 'quality', summary: 'Make a prompt gold with its known order', body: goldRankingSchema, responses: { 200: described('`{ promptId, gold }`') } },
  'DELETE /api/projects/:id/prompts/:promptId/gold': { tag: 'quality', summary: 'Clear a prompt\'s known order: its rankings count as data again', responses: { 200: described('`{ promptId, gold: null }`') } },
  'POST /api/projects/:id/members/:userId/pause': { tag: 'quality', summary: 'Pause a labeler on the project, or lift a pause', body: pauseSchema, responses: { 200: described('`{ userId, paused }`') } },

  'GET /api/projects/:id/export': { tag: 'export', summary: 'The comparison JSONL, streamed', query: exportSettingsSchema, responses: { 200: { description: 'one JSON object per line, in the chosen format (docs/formats.md)', content: 'ndjson' }, 400: unknownCriterion } },
  'GET /api/projects/:id/export/summary': { tag: 'export', summary: 'How much these settings export, what they leave out, and the first lines', query: summaryQuerySchema, responses: { 200: json('the summary', exportSummarySchema), 400: unknownCriterion } },
  'GET /api/projects/:id/export/manifest': { tag: 'export', summary: 'The manifest to keep beside an exported file', query: exportSettingsSchema, responses: { 200: json('the manifest', exportManifestSchema), 400: unknownCriterion } },
  'GET /api/projects/:id/export/card': { tag: 'export', summary: 'The Hugging Face dataset card (README.md) of the train and test files', query: exportSettingsSchema, responses: { 200: { description: 'the card, YAML front matter declaring the splits, then how the data was made', content: 'markdown' }, 400: unknownCriterion } },

  'GET /api/projects/:id/webhooks': { tag: 'webhooks', summary: "The project's webhooks with their delivery counts (secrets are never returned: `secretSet: true`)", responses: { 200: json('the webhooks', z.object({ webhooks: z.array(webhookSchema) })) } },
  'POST /api/projects/:id/webhooks': {
    tag: 'webhooks',
    summary: 'Register a webhook: an http(s) URL (a host in PODIUM_WEBHOOK_HOSTS when that is set), its events and the secret that signs each delivery (`X-Podium-Signature: sha256=<hex HMAC-SHA256 of the body>`)',
    body: createWebhookSchema,
    responses: { 201: json('registered', z.object({ webhook: webhookSchema })), 409: described('the project already has 20 webhooks') },
  },
  'GET /api/projects/:id/webhooks/:webhookId/deliveries': {
    tag: 'webhooks',
    summary: "A webhook's latest deliveries, newest first, each with every attempt (time, status code, error)",
    query: deliveriesQuerySchema,
    responses: { 200: json('the delivery log', z.object({ deliveries: z.array(webhookDeliverySchema) })) },
  },
  'PATCH /api/projects/:id/webhooks/:webhookId': { tag: 'webhooks', summary: 'Pause or resume a webhook, or replace its URL, events or secret', body: updateWebhookSchema, responses: { 200: json('the webhook', z.object({ webhook: webhookSchema })) } },
  'DELETE /api/projects/:id/webhooks/:webhookId': { tag: 'webhooks', summary: 'Delete a webhook with its undelivered events and its log', responses: { 200: json('`deleted` is false when there was no such webhook', z.object({ ok: z.literal(true), deleted: z.boolean() })) } },
};

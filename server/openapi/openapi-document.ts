import { z } from 'zod';
import { apiErrorSchema } from '../../shared/errors.ts';
import { accessLevels, accessPolicy, type AccessLevel } from '../auth/access-policy.ts';
import { sessionCookie } from '../auth/access.ts';
import { routeDocs, type ResponseDoc, type RouteDoc } from './route-docs.ts';

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
};

/**
 * Zod 4's own JSON Schema (draft 2020-12, the dialect OpenAPI 3.1 uses). Requests are documented as what a caller
 * may send (`input`: defaults make a field optional, preprocessed query strings show their accepted values), answers
 * as what the server returns (`output`).
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

const errorRef = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });

/** The refusals each access level can give, as the access table promises them (docs/access.md). */
function refusals(level: AccessLevel): Record<string, unknown> {
  if (level === 'public') return {};
  const out: Record<string, unknown> = { 401: errorResponse('no session cookie and no valid API token') };
  if (level !== 'user') out[403] = errorResponse(`refused: ${accessLevels[level]}`);
  if (level.startsWith('project-') || level === 'assignment-owner' || level === 'job-lead') out[404] = errorResponse('no such resource, or not visible to this caller');
  return out;
}

const mediaTypes = { json: 'application/json', ndjson: 'application/x-ndjson', markdown: 'text/markdown', 'event-stream': 'text/event-stream' } as const;

function responseObject(doc: ResponseDoc): Record<string, unknown> {
  const type = mediaTypes[doc.content ?? 'json'];
  if (doc.schema) return { description: doc.description, content: { [type]: { schema: jsonSchema(doc.schema, 'output') } } };
  // Answers without a published schema yet: an object (or a stream) with its description.
  return { description: doc.description, content: { [type]: { schema: doc.content && doc.content !== 'json' ? { type: 'string' } : { type: 'object' } } } };
}

function operation(key: string, doc: RouteDoc): Record<string, unknown> {
  const [method, path] = key.split(' ') as [string, string];
  const access = accessPolicy[key]?.access ?? 'admin';
  const parameters: Record<string, unknown>[] = [...path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (doc.query) {
    const query = jsonSchema(doc.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
  }
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(doc.responses)) responses[status] = r.schema || r.content || status !== '204' ? responseObject(r) : { description: r.description };
  if (doc.query || doc.body) responses[400] ??= errorResponse('bad input: `issues` lists the zod issues');
  if (method !== 'GET') responses[413] ??= errorResponse('the body is larger than this route takes');
  Object.assign(responses, refusals(access));
  const op: Record<string, unknown> = {
    operationId: `${method.toLowerCase()}${path.replace(/^\/api/, '').replace(/\/:?(\w)([\w-]*)/g, (_m, a: string, b: string) => a.toUpperCase() + b.replace(/-(\w)/g, (_n, c: string) => c.toUpperCase())).replace(/\W/g, '')}`,
    summary: doc.summary,
    tags: [doc.tag],
    description: `Who may call it: ${accessLevels[access]}.`,
    security: access === 'public' ? [] : [{ sessionCookie: [] }, { bearerToken: [] }],
    parameters,
    responses,
  };
  if (doc.body === 'jsonl') op.requestBody = { required: true, content: { 'application/x-ndjson': { schema: { type: 'string', description: 'one import line (JSON object) per line; docs/formats.md' } } } };
  else if (doc.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(doc.body, 'input') } } };
  return op;
}

/** The OpenAPI 3.1 document of every route in the access table, built from the schemas the routes validate with. */
export function openApiDocument(version: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const key of Object.keys(accessPolicy)) {
    const doc = routeDocs[key];
    if (!doc) throw new Error(`no OpenAPI entry for ${key} (server/openapi/route-docs.ts)`);
    const [method, path] = key.split(' ') as [string, string];
    const openApiPath = path.replace(/:(\w+)/g, '{$1}');
    (paths[openApiPath] ??= {})[method.toLowerCase()] = operation(key, doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Podium API',
      version,
      description: 'JSON over HTTP under /api. Every error is `{ error: { code, message, issues? } }`. State-changing requests from another site are refused (403 cross_site).',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: jsonSchema(apiErrorSchema, 'output') },
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: sessionCookie, description: 'set by POST /api/auth/login (HttpOnly, SameSite=Lax)' },
        bearerToken: { type: 'http', scheme: 'bearer', description: 'an API token from POST /api/tokens' },
      },
    },
  };
}

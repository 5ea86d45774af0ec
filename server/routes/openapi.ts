import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { openApiDocument, type OpenApiDocument } from '../openapi/openapi-document.ts';
import { podiumVersion } from '../version.ts';

// Built on first request, then kept: it depends only on the code.
let document: OpenApiDocument | undefined;

/** `GET /api/openapi.json`: public, like the source it describes; it holds no data, only the API's shape. */
export const openApiRoutes = new Hono<AppEnv>().get('/openapi.json', (c) => c.json((document ??= openApiDocument(podiumVersion)), 200));

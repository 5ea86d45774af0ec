import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createApp } from '../../server/app.ts';
import { ApiClient, jsonl, startTestServer, userClient, type TestServer } from '../support/test-server.ts';

type Operation = { requestBody?: { content: Record<string, { schema: object }> }; responses: Record<string, unknown>; security: unknown[]; parameters: { name: string; in: string }[] };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object>; securitySchemes: Record<string, object> } };

let server: TestServer;
let doc: Document;
const ajv = new Ajv2020({ strict: false, allErrors: true });

/** The JSON Schema the document gives for a route's JSON body. */
function bodyValidator(method: string, path: string) {
  const op = doc.paths[path]?.[method];
  const schema = op?.requestBody?.content['application/json']?.schema;
  expect(schema, `${method} ${path} documents a JSON body`).toBeDefined();
  return ajv.compile(schema!);
}

beforeAll(async () => {
  server = await startTestServer();
  // Nobody signed in: scripts read the document before they hold a token.
  const res = await new ApiClient(server.url).get<Document>('/api/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(() => server.stop());

describe('GET /api/openapi.json', () => {
  it('documents every route the app serves, with the two auth schemes and the error body', () => {
    const app = createApp({ store: server.store, clientDir: '/nonexistent' });
    const served = new Set(
      app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !r.path.includes('*')).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    expect(served.size).toBeGreaterThan(40);
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);

    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerToken', 'sessionCookie']);
    expect(doc.components.schemas.Error).toMatchObject({ properties: { error: { required: ['code', 'message'] } } });
    const submit = doc.paths['/api/assignments/{id}/submit']!.post!;
    expect(submit.security).toEqual([{ sessionCookie: [] }, { bearerToken: [] }]);
    expect(submit.responses['400']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    expect(doc.paths['/api/health']!.get!.security).toEqual([]);
    expect(doc.paths['/api/projects/{id}/export']!.get!.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['id', 'format', 'strategy', 'split', 'testFraction']));
  });

  it('describes the bodies real requests send, and a bad body fails the schema and the route alike', async () => {
    const { client: lead } = await userClient(server, 'openapi-lead', 'lead');
    const { client: ana, id: anaId } = await userClient(server, 'openapi-ana', 'labeler');

    const project = { name: 'openapi', responsesPerPrompt: 2, labelersPerPrompt: 1 };
    const createProject = bodyValidator('post', '/api/projects');
    expect(createProject(project), JSON.stringify(createProject.errors)).toBe(true);
    const created = await lead.post('/api/projects', project);
    expect(created.status).toBe(201);
    const projectId = created.body.project.id as number;

    const badProject = { ...project, responsesPerPrompt: 1 };
    expect(createProject(badProject)).toBe(false);
    const refused = await lead.post('/api/projects', badProject);
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues.length).toBeGreaterThan(0);

    const addMember = bodyValidator('post', '/api/projects/{id}/members');
    expect(addMember({ userId: anaId })).toBe(true);
    expect((await lead.post(`/api/projects/${projectId}/members`, { userId: anaId })).status).toBe(201);
    expect((await lead.post(`/api/projects/${projectId}/import`, jsonl([{ id: 'q1', prompt: 'Say hi.', responses: ['Hi.', 'Hello there.'] }]))).status).toBe(200);

    const next = await ana.post(`/api/projects/${projectId}/tasks/next`);
    expect(next.status).toBe(200);
    const a = next.body.assignment as { id: number; responses: { id: number }[] };
    const submit = bodyValidator('post', '/api/assignments/{id}/submit');
    // The submit route is strict: an unknown key is refused by the route and the schema alike.
    const bad = { ranking: [[a.responses[0]!.id], [a.responses[1]!.id]], rating: 5 };
    expect(submit(bad)).toBe(false);
    expect((await ana.post(`/api/assignments/${a.id}/submit`, bad)).status).toBe(400);
    const good = { ranking: [[a.responses[0]!.id], [a.responses[1]!.id]], flags: { [String(a.responses[1]!.id)]: ['factually-wrong'] }, comment: 'B is wrong', durationMs: 1200 };
    expect(submit(good), JSON.stringify(submit.errors)).toBe(true);
    expect((await ana.post(`/api/assignments/${a.id}/submit`, good)).status).toBe(201);

    const login = bodyValidator('post', '/api/auth/login');
    expect(login({ username: 'openapi-ana', password: 'openapi-ana-password' })).toBe(true);
    expect(login({ username: 'openapi-ana' })).toBe(false);
    expect((await new ApiClient(server.url).post('/api/auth/login', { username: 'openapi-ana' })).status).toBe(400);
  });

  it("publishes the main answers' shapes, and real answers match them", async () => {
    const { client: lead } = await userClient(server, 'openapi-lead2', 'lead');
    const schemaOf = (path: string, status = '200') => {
      const content = (doc.paths[path]!.get!.responses[status] as { content: Record<string, { schema: object }> }).content;
      return ajv.compile(content['application/json']!.schema);
    };
    const projects = await lead.get('/api/projects');
    const check = schemaOf('/api/projects');
    expect(check(projects.body), JSON.stringify(check.errors)).toBe(true);
    const admin = server.admin;
    const list = await admin.get('/api/projects');
    const id = (list.body.projects as { id: number; name: string }[]).find((p) => p.name === 'openapi')!.id;
    for (const path of ['results', 'agreement', 'leaderboard', 'export/summary', 'export/manifest']) {
      const res = await admin.get(`/api/projects/${id}/${path}`);
      expect(res.status, path).toBe(200);
      const validate = schemaOf(`/api/projects/{id}/${path}`);
      expect(validate(res.body), `${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
  // Last: compiling the OpenAPI meta-schema blocks this process (the server's too) for a while, and a keep-alive
  // socket that timed out meanwhile could reset the next request.
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/index.ts';
import { freshDatabase } from './test-database.ts';
import { webhookSettings, type WebhookSettings } from '../../server/webhooks/delivery-settings.ts';

export const adminPassword = 'admin-password-for-tests';

export type TestServer = RunningServer & { dbFile: string; dbEnv: Record<string, string>; dir: string; admin: ApiClient; stop: () => Promise<void> };

/** The real app over HTTP on a free loopback port, with its own database of the run's engine (test-database.ts). */
export async function startTestServer(options: { demo?: boolean; trustProxy?: boolean; webhooks?: Partial<WebhookSettings> } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'podium-test-'));
  const database = await freshDatabase(dir);
  const dbFile = database.target.dbFile;
  // Webhooks as configured by default (from no environment), unless a test sets their timing or hosts.
  const webhooks = { ...webhookSettings({}), ...options.webhooks };
  const running = await startServer({ port: 0, host: '127.0.0.1', ...database.target, adminPassword, demo: options.demo ?? false, trustProxy: options.trustProxy ?? false, webhooks }, () => {});
  const admin = new ApiClient(running.url);
  await admin.login('admin', adminPassword);
  return {
    ...running,
    dbFile,
    dbEnv: database.env,
    dir,
    admin,
    stop: async () => {
      await running.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ApiResponse<T = unknown> = { status: number; body: T; headers: Headers };

/** A cookie-keeping HTTP client, as a browser or script would talk to the API. */
export class ApiClient {
  cookie = '';
  constructor(
    readonly baseUrl: string,
    readonly bearer?: string,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    let payload: string | undefined;
    if (typeof body === 'string') payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: payload });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
  async login(username: string, password: string): Promise<void> {
    const res = await this.post('/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** Creates a user through the admin API and returns a client logged in as them. */
export async function userClient(server: TestServer, username: string, role: 'admin' | 'lead' | 'labeler' = 'labeler', password = `${username}-password`) {
  const res = await server.admin.post('/api/users', { username, password, role });
  if (res.status !== 201) throw new Error(`creating ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const client = new ApiClient(server.url);
  await client.login(username, password);
  return { client, id: (res.body as { user: { id: number } }).user.id };
}

/** JSONL import body from objects. */
export function jsonl(lines: unknown[]): string {
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

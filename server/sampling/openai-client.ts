import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { urlToHttpOptions } from 'node:url';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ChatMessage } from '../../shared/messages.ts';
import { watchAbort } from './abort-watch.ts';
import { isRetryableStatus, retryDelayMs, serverRetryDelayMs, type BackoffOptions, defaultBackoff } from './retry-policy.ts';

export type Endpoint = { baseUrl: string; apiKey: string | null };

export type ChatRequestBody = {
  model: string;
  messages: ChatMessage[];
  n?: number;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
};

export type ChatChoice = { text: string; finishReason: string | null };
export type ChatCompletion = { choices: ChatChoice[]; model: string | null; promptTokens: number | null; completionTokens: number | null; latencyMs: number };

/** A failed request: `status` null for network trouble and timeouts; the message is the server's own where it sent one. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly serverDelayMs: number | null = null,
  ) {
    super(message);
  }
}
export class AbortedError extends Error {}

/**
 * The chat completions URL for what a lead typed: a full `…/chat/completions` as is, a base ending in a
 * version (`…/v1`, OpenAI's and Ollama's documented form) gets `/chat/completions`, a bare host gets `/v1/chat/completions`.
 */
export function chatCompletionsUrl(baseUrl: string): URL {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/chat\/completions$/.test(path)) url.pathname = path;
  else if (/\/v\d+[a-z0-9]*$/i.test(path)) url.pathname = `${path}/chat/completions`;
  else url.pathname = `${path}/v1/chat/completions`;
  return url;
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The server's own words from an error body. OpenAI, llama.cpp and Ollama send {error: {message}},
 * TGI {error: "…"}, older vLLM {object: "error", message}, FastAPI validation {detail: [{msg}]}.
 */
export function upstreamMessage(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return body.trim().slice(0, 500) || 'no message';
  }
  if (isObject(json)) {
    const e = json.error;
    if (isObject(e) && typeof e.message === 'string') return e.message;
    if (typeof e === 'string') return e;
    if (typeof json.message === 'string') return json.message;
    const d = json.detail;
    if (typeof d === 'string') return d;
    if (Array.isArray(d)) return d.map((x) => (isObject(x) && typeof x.msg === 'string' ? x.msg : JSON.stringify(x))).join('; ');
  }
  return body.trim().slice(0, 500);
}

function choiceText(message: unknown): string {
  if (!isObject(message)) return '';
  const c = message.content;
  if (typeof c === 'string') return c;
  // Some servers send content parts even for plain text.
  if (Array.isArray(c)) return c.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
  return '';
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function parseCompletion(body: string, latencyMs: number): ChatCompletion {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new UpstreamError(`the server answered with something that is not JSON: ${body.slice(0, 200)}`, 200, false);
  }
  if (!isObject(json) || !Array.isArray(json.choices)) throw new UpstreamError(`the server's answer has no choices: ${body.slice(0, 200)}`, 200, false);
  let choices: ChatChoice[] = [];
  const indexes: number[] = [];
  let ordered = true;
  for (const c of json.choices as unknown[]) {
    if (!isObject(c)) continue;
    const index = num(c.index) ?? 0;
    if (indexes.length > 0 && index < (indexes[indexes.length - 1] as number)) ordered = false;
    indexes.push(index);
    choices.push({ text: choiceText(c.message), finishReason: typeof c.finish_reason === 'string' ? c.finish_reason : null });
  }
  // servers return choices in index order, but nothing in the protocol promises it (sort is stable, as before)
  if (!ordered) {
    const read = choices;
    choices = read.map((_, i) => i).sort((a, b) => (indexes[a] as number) - (indexes[b] as number)).map((i) => read[i] as ChatChoice);
  }
  const usage = isObject(json.usage) ? json.usage : {};
  return { choices, model: typeof json.model === 'string' ? json.model : null, promptTokens: num(usage.prompt_tokens), completionTokens: num(usage.completion_tokens), latencyMs };
}

export type ChatClient = {
  complete(endpoint: Endpoint, body: ChatRequestBody, options: { timeoutMs: number; signal?: AbortSignal }): Promise<ChatCompletion>;
  close(): void;
};

/**
 * What every request to one endpoint with one key shares, built once: node's request options (without the URL
 * object's own fields, which node would otherwise inspect per request) and the headers as a flat list, which
 * `ClientRequest` writes as given instead of setting and looking up each one. A list gets no Host or Basic
 * `Authorization` from node, so both are here, as node would have written them.
 */
type Target = { host: string; send: typeof httpRequest; options: RequestOptions; headers: string[] };

function targetFor(endpoint: Endpoint, agents: { http: HttpAgent; https: HttpsAgent }): Target {
  const url = chatCompletionsUrl(endpoint.baseUrl);
  const secure = url.protocol === 'https:';
  const o = urlToHttpOptions(url);
  const headers = ['host', url.host, 'content-type', 'application/json', 'accept', 'application/json'];
  if (endpoint.apiKey) headers.push('authorization', `Bearer ${endpoint.apiKey}`);
  else if (o.auth) headers.push('authorization', `Basic ${Buffer.from(o.auth).toString('base64')}`);
  const options: RequestOptions = { protocol: o.protocol, hostname: o.hostname, path: o.path, method: 'POST', agent: secure ? agents.https : agents.http };
  if (o.port !== undefined) options.port = o.port;
  return { host: url.host, send: secure ? httpsRequest : httpRequest, options, headers };
}

/**
 * One request in flight. Its callbacks share this object's state rather than each closing over its own, and settle
 * it once: the first of answer, timeout, abort or error wins.
 */
class Exchange {
  private settled = false;
  private readonly timer: NodeJS.Timeout;
  private readonly unwatch: (() => void) | undefined;
  private readonly req: ClientRequest;
  private readonly started = performance.now();

  constructor(
    target: Target,
    payload: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    private readonly resolve: (c: ChatCompletion) => void,
    private readonly reject: (e: Error) => void,
  ) {
    const headers = target.headers.slice();
    headers.push('content-length', String(Buffer.byteLength(payload)));
    this.req = target.send({ ...target.options, headers }, (res) => this.onResponse(res));
    this.timer = setTimeout(() => this.abandon(new UpstreamError(`no answer within ${timeoutMs} ms`, null, true)), timeoutMs);
    this.unwatch = signal ? watchAbort(signal, () => this.abandon(new AbortedError('cancelled'))) : undefined;
    this.req.on('error', (e: NodeJS.ErrnoException) => this.fail(new UpstreamError(`cannot reach ${target.host}: ${e.code ?? e.message}`, null, true)));
    this.req.end(payload);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    this.unwatch?.();
    return true;
  }

  private fail(e: Error): void {
    if (this.settle()) this.reject(e);
  }

  /** Timeout and cancel: the request is dropped, its socket with it. */
  private abandon(e: Error): void {
    if (!this.settle()) return;
    this.req.destroy();
    this.reject(e);
  }

  private onResponse(res: IncomingMessage): void {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', (e) => this.fail(new UpstreamError(`the connection broke: ${e.message}`, null, true)));
    res.on('end', () => {
      // a small answer arrives in one chunk: no copy then
      this.onBody(res, (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8'));
    });
  }

  private onBody(res: IncomingMessage, text: string): void {
    const status = res.statusCode ?? 0;
    const latencyMs = Math.round(performance.now() - this.started);
    if (!this.settle()) return;
    if (status >= 200 && status < 300) {
      try {
        this.resolve(parseCompletion(text, latencyMs));
      } catch (e) {
        this.reject(e as Error);
      }
      return;
    }
    const header = (name: string) => {
      const v = res.headers[name];
      return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
    };
    const delay = serverRetryDelayMs({ retryAfterMs: header('retry-after-ms'), retryAfter: header('retry-after') }, Date.now());
    this.reject(new UpstreamError(`${status} ${res.statusMessage ?? ''}`.trim() + `: ${upstreamMessage(text)}`, status, isRetryableStatus(status), delay));
  }
}

/** A keep-alive HTTP client: one socket per concurrent request, reused, so a job pays no connection set-up per sample. */
export function createChatClient(maxSockets: number): ChatClient {
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets }), https: new HttpsAgent({ keepAlive: true, maxSockets }) };
  const targets = new Map<string, Target>();
  return {
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
    complete(endpoint, body, { timeoutMs, signal }) {
      const key = endpoint.apiKey === null ? endpoint.baseUrl : `${endpoint.baseUrl}\n${endpoint.apiKey}`;
      let target = targets.get(key);
      if (!target) targets.set(key, (target = targetFor(endpoint, agents)));
      const payload = JSON.stringify(body);
      if (signal?.aborted) return Promise.reject(new AbortedError('cancelled'));
      const to = target;
      return new Promise<ChatCompletion>((resolve, reject) => void new Exchange(to, payload, timeoutMs, signal, resolve, reject));
    },
  };
}

export type RetryOptions = { timeoutMs: number; maxRetries: number; signal?: AbortSignal; backoff?: BackoffOptions; onRetry?: (e: UpstreamError, delayMs: number) => void };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError('cancelled'));
    const t = setTimeout(() => {
      unwatch?.();
      resolve();
    }, ms);
    const unwatch = signal ? watchAbort(signal, () => {
      clearTimeout(t);
      reject(new AbortedError('cancelled'));
    }) : undefined;
  });
}

/** One completion with bounded retries on 408/409/429/5xx, timeouts and broken connections; anything else fails at once. */
export async function completeWithRetries(client: ChatClient, endpoint: Endpoint, body: ChatRequestBody, options: RetryOptions): Promise<ChatCompletion> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.complete(endpoint, body, options);
    } catch (e) {
      if (!(e instanceof UpstreamError) || !e.retryable || attempt >= options.maxRetries) throw e;
      const delay = retryDelayMs(attempt, e.serverDelayMs, options.backoff ?? defaultBackoff);
      options.onRetry?.(e, delay);
      await sleep(delay, options.signal);
    }
  }
}

/** Keeps a key out of anything we store or show, should a server echo it back in an error. */
export function redact(message: string, apiKey: string | null): string {
  return apiKey && apiKey.length >= 4 ? message.split(apiKey).join('[redacted]') : message;
}

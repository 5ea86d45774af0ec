import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake server misbehaves; each switch mimics a real server (see docs/sampling.md). */
export type FakeQuirks = {
  /** honour: vLLM/SGLang/OpenAI; ignore: Ollama and TGI answer one choice; reject: older llama.cpp's 400. */
  nMode: 'honour' | 'ignore' | 'reject';
  latencyMs: number;
  /** The first `times` requests get a 429 carrying these headers. */
  rateLimit: { times: number; headers: Record<string, string> } | null;
  /** The first N requests (after any 429s) get a 500. */
  serverErrors: number;
  /** Models it serves; any other gets OpenAI's 404 body. Null: every model. */
  knownModels: string[] | null;
  /** Every choice says the same ('always'), or only the first N choices do. */
  duplicates: 'always' | number;
  /** Plays a judge (or any scripted model): each choice's text is what this returns for the request, per model asked. */
  answer: ((request: { model: string; prompt: string; nth: number }) => string) | null;
};

export type RecordedRequest = { at: number; method: string; path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> };

export type FakeOpenAi = {
  /** The base URL a lead would type, ending in /v1. */
  baseUrl: string;
  requests: RecordedRequest[];
  quirks: FakeQuirks;
  inFlight: () => number;
  /** Requests answered since the start or the last reset, recorded or not. */
  served: () => number;
  set: (q: Partial<FakeQuirks>) => void;
  reset: (q?: Partial<FakeQuirks>) => void;
  close: () => Promise<void>;
};

const defaults: FakeQuirks = { nMode: 'honour', latencyMs: 0, rateLimit: null, serverErrors: 0, knownModels: null, duplicates: 0, answer: null };

/** An OpenAI-compatible /v1/chat/completions on 127.0.0.1, port 0, recording every request it gets. */
export async function startFakeOpenAi(initial: Partial<FakeQuirks> = {}, options: { record?: boolean } = {}): Promise<FakeOpenAi> {
  const record = options.record ?? true;
  let quirks: FakeQuirks = { ...defaults, ...initial };
  let requests: RecordedRequest[] = [];
  let served = 0;
  let sameSoFar = 0;
  let counter = 0;
  let inFlight = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        body = {};
      }
      if (record) requests.push({ at: Date.now(), method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const nth = served++;
      inFlight++;
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(payload);
        const reply = () => {
          inFlight--;
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
          res.end(text);
        };
        if (quirks.latencyMs > 0) setTimeout(reply, quirks.latencyMs);
        else reply();
      };
      if (req.method !== 'POST' || !(req.url ?? '').endsWith('/v1/chat/completions')) return send(404, { error: { message: `no route ${req.url}`, type: 'invalid_request_error' } });
      const limited = quirks.rateLimit;
      if (limited && nth < limited.times) return send(429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }, limited.headers);
      if (nth < (limited?.times ?? 0) + quirks.serverErrors) return send(500, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
      const model = String(body.model ?? '');
      if (quirks.knownModels && !quirks.knownModels.includes(model)) {
        return send(404, { error: { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' } });
      }
      const n = typeof body.n === 'number' ? body.n : 1;
      if (quirks.nMode === 'reject' && n > 1) return send(400, { error: { code: 400, message: 'Only one completion choice is allowed', type: 'invalid_request_error' } });
      const choices = quirks.nMode === 'ignore' ? 1 : n;
      const messages = Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]) : [];
      const asked = String(messages[messages.length - 1]?.content ?? '');
      const seed = typeof body.seed === 'number' ? body.seed : null;
      const scripted = quirks.answer;
      const texts = Array.from({ length: choices }, () => {
        if (scripted) return scripted({ model, prompt: asked, nth });
        if (quirks.duplicates === 'always' || sameSoFar < quirks.duplicates) {
          sameSoFar++;
          return '  Same answer.\n';
        }
        // one seed, one sample: n > 1 with a seed gives n identical choices, as a seeded sampler does
        return seed !== null ? `Answer to "${asked}" with seed ${seed}.` : `Answer ${++counter} to "${asked}".`;
      });
      send(200, {
        id: `chatcmpl-${nth}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: texts.map((content, index) => ({ index, message: { role: 'assistant', content }, finish_reason: typeof body.max_tokens === 'number' && body.max_tokens < 8 ? 'length' : 'stop' })),
        usage: { prompt_tokens: 7 + asked.length, completion_tokens: 5 * choices, total_tokens: 7 + asked.length + 5 * choices },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    get quirks() {
      return quirks;
    },
    inFlight: () => inFlight,
    served: () => served,
    set: (q) => {
      quirks = { ...quirks, ...q };
    },
    reset: (q = {}) => {
      quirks = { ...defaults, ...q };
      requests = [];
      served = 0;
      sameSoFar = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

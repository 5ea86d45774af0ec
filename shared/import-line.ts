import { chatRoleSchema, type ChatMessage } from './messages.ts';
import { normalisedHash, sameNormalised } from './normalise-text.ts';

/**
 * The rules for one line of an import file, as one pure function the server (API, CLI, demo data) and the client share.
 * Hand-written rather than a zod schema because zod reports every element of an array and echoes unknown keys:
 * one junk line of a million bad elements cost seconds and megabytes of issues. This check stops at a few problems
 * per line and quotes at most a few characters of the input.
 */

export type ImportLineError = { line: number; message: string };
/** What the store wrote: prompts added and the lines skipped because the project already has their id. */
export type ImportResult = { imported: number; skipped: { line: number; id: string }[]; responses: number };
/** The import route's 200: what was written, plus lines that were imported but need attention (first few, and how many). */
export type ImportReply = ImportResult & { warnings: ImportLineError[]; warningLines: number };

/** A line that passed: messages as given, responses as {text, model}; `id` undefined when the line has none. */
export type CheckedImportLine = {
  id: string | undefined;
  messages: ChatMessage[];
  responses: { text: string; model: string | null }[];
  metadata: Record<string, unknown>;
  /** The known order (a gold prompt): tiers of 0-based indexes into `responses`; null for an ordinary prompt. */
  gold: number[][] | null;
};
export type ImportLineCheck = { ok: true; line: CheckedImportLine; warning: string | null } | { ok: false; message: string };

export const importRoles = chatRoleSchema.options;
const importFields = new Set(['id', 'prompt', 'messages', 'responses', 'metadata', 'gold']);
/** Deeper metadata is refused: nothing needs it, and recursive readers of it (JSON.stringify, renderers) can overflow the stack. */
export const maxMetadataDepth = 64;
export const maxIdLength = 200;
export const maxModelLength = 200;
const problemsPerLine = 3;

/** A piece of the input inside a message, never more than a few characters of it. */
function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const blank = (s: string) => s.trim() === '';

/** Whether a JSON value nests deeper than `limit` objects or arrays; iterative, so a deep value cannot overflow the stack. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    if (this.list.length <= problemsPerLine) this.list.push(path ? `${path}: ${message}` : message);
  }
  get full(): boolean {
    return this.list.length > problemsPerLine;
  }
  message(): string {
    return this.full ? `${this.list.slice(0, problemsPerLine).join('; ')}; and more` : this.list.join('; ');
  }
}

function checkMessages(value: unknown, p: Problems): ChatMessage[] {
  if (!Array.isArray(value)) {
    p.add('messages', 'must be a list of {"role", "content"}');
    return [];
  }
  if (value.length === 0) p.add('messages', 'is empty');
  const messages: ChatMessage[] = [];
  for (let i = 0; i < value.length && !p.full; i++) {
    const m: unknown = value[i];
    if (!isRecord(m)) {
      p.add(`messages.${i}`, 'must be {"role", "content"}');
      continue;
    }
    const { role, content } = m;
    const known = importRoles.find((r) => r === role);
    if (!known) p.add(`messages.${i}.role`, `${typeof role === 'string' ? quote(role) : 'missing'} is not a role (roles are ${importRoles.join(', ')})`);
    else if (known === 'system' && i > 0) p.add(`messages.${i}`, 'a system message may only come first');
    if (typeof content !== 'string') p.add(`messages.${i}.content`, 'must be a string');
    else if (blank(content)) p.add(`messages.${i}.content`, 'is empty');
    if (known && typeof content === 'string') messages.push({ role: known, content });
  }
  const last = value.length > 0 ? (value[value.length - 1] as unknown) : undefined;
  const lastRole = isRecord(last) ? last.role : undefined;
  // A chat template refuses a conversation that does not end with the user: the responses are the answer to that turn.
  if (value.length > 0 && (lastRole === 'system' || lastRole === 'assistant')) {
    p.add(`messages.${value.length - 1}`, `the last message is ${lastRole === 'assistant' ? 'an' : 'a'} ${lastRole} turn; it must be a user turn (the responses answer it)`);
  }
  return messages;
}

function checkResponses(value: unknown, k: number, p: Problems): CheckedImportLine['responses'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    p.add('responses', 'must be a list of texts or {"text", "model"?}');
    return [];
  }
  // Checked before the entries, so a line of a million responses costs one comparison.
  if (value.length > k) {
    p.add('', `has ${value.length} responses; this project ranks ${k} per prompt`);
    return [];
  }
  const responses: CheckedImportLine['responses'] = [];
  const byHash = new Map<number, { j: number; text: string }[]>();
  for (let j = 0; j < value.length && !p.full; j++) {
    const r: unknown = value[j];
    const text = typeof r === 'string' ? r : isRecord(r) ? r.text : undefined;
    const model = isRecord(r) ? r.model : undefined;
    if (typeof text !== 'string') {
      p.add(`responses.${j}`, 'must be a text or {"text", "model"?}');
      continue;
    }
    if (blank(text)) {
      p.add(`responses.${j}`, 'the text is empty');
      continue;
    }
    if (model !== undefined && (typeof model !== 'string' || blank(model) || model.length > maxModelLength)) {
      p.add(`responses.${j}.model`, `must be a name of 1 to ${maxModelLength} characters`);
      continue;
    }
    const hash = normalisedHash(text);
    const sameHash = byHash.get(hash) ?? [];
    const earlier = sameHash.find((e) => sameNormalised(e.text, text));
    if (earlier !== undefined) p.add(`responses.${j}`, `the same text as responses.${earlier.j} (ignoring whitespace); a pair of them would have chosen equal to rejected`);
    byHash.set(hash, [...sameHash, { j, text }]);
    responses.push({ text, model: model ?? null });
  }
  return responses;
}

/** A known order: tiers of 0-based indexes naming each of the line's `k` responses exactly once. */
function checkGold(value: unknown, responses: number, k: number, p: Problems): number[][] | null {
  if (value === undefined) return null;
  const shape = 'must be tiers of 0-based response indexes, best first, e.g. [[0], [2, 1], [3]]';
  if (!Array.isArray(value) || value.length === 0 || value.length > k) {
    p.add('gold', shape);
    return null;
  }
  if (responses !== k) {
    p.add('gold', `a known order ranks all ${k} responses; this line has ${responses}`);
    return null;
  }
  const seen = new Set<number>();
  const tiers: number[][] = [];
  for (let t = 0; t < value.length; t++) {
    const tier: unknown = value[t];
    if (!Array.isArray(tier) || tier.length === 0 || tier.length > k) {
      p.add(`gold.${t}`, 'must be a non-empty list of response indexes');
      return null;
    }
    const out: number[] = [];
    for (const index of tier as unknown[]) {
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= k) {
        p.add(`gold.${t}`, `${typeof index === 'number' ? index : 'a non-number'} is not a response index (0 to ${k - 1})`);
        return null;
      }
      if (seen.has(index)) {
        p.add(`gold.${t}`, `response ${index} appears more than once`);
        return null;
      }
      seen.add(index);
      out.push(index);
    }
    tiers.push(out);
  }
  const missing = Array.from({ length: k }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length) p.add('gold', `leaves out response${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return tiers;
}

/**
 * Checks one parsed JSON line against the import rules for a project ranking `k` responses per prompt. A line
 * with fewer than `k` (but some) responses passes with a warning: it is stored, and not rankable until it has `k`.
 */
export function checkImportLine(value: unknown, k: number): ImportLineCheck {
  if (!isRecord(value)) return { ok: false, message: 'a line must be a JSON object' };
  const p = new Problems();
  const unknown = Object.keys(value).filter((key) => !importFields.has(key));
  if (unknown.length) {
    const named = unknown.slice(0, 3).map(quote).join(', ');
    p.add('', `unknown field${unknown.length > 1 ? 's' : ''} ${named}${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ''} (fields are ${[...importFields].join(', ')})`);
  }
  const { id, prompt, messages: rawMessages, responses: rawResponses, metadata, gold: rawGold } = value;
  let externalId: string | undefined;
  if (typeof id === 'number' && Number.isSafeInteger(id)) externalId = String(id);
  else if (typeof id === 'string' && !blank(id) && id.trim().length <= maxIdLength) externalId = id.trim();
  else if (id !== undefined) p.add('id', `must be a text of 1 to ${maxIdLength} characters or an integer`);

  let messages: ChatMessage[] = [];
  if ((prompt === undefined) === (rawMessages === undefined)) p.add('', 'a line needs exactly one of "prompt" or "messages"');
  else if (prompt !== undefined) {
    if (typeof prompt !== 'string') p.add('prompt', 'must be a string');
    else if (blank(prompt)) p.add('prompt', 'is empty');
    else messages = [{ role: 'user', content: prompt }];
  } else messages = checkMessages(rawMessages, p);

  const responses = checkResponses(rawResponses, k, p);
  if (metadata !== undefined) {
    if (!isRecord(metadata)) p.add('metadata', 'must be an object');
    else if (nestsDeeperThan(metadata, maxMetadataDepth)) p.add('metadata', `nests deeper than ${maxMetadataDepth} levels`);
  }
  const gold = checkGold(rawGold, responses.length, k, p);
  if (p.list.length) return { ok: false, message: p.message() };
  const warning =
    responses.length > 0 && responses.length < k
      ? `has ${responses.length} of ${k} responses; it is imported but not rankable until it has ${k} (sampling adds the missing ${k - responses.length})`
      : null;
  return { ok: true, line: { id: externalId, messages, responses, metadata: isRecord(metadata) ? metadata : {}, gold }, warning };
}

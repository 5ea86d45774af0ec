import { apiKeyEnvPrefix } from '../../shared/api-key-env.ts';
import { chatCompletionsUrl } from './openai-client.ts';

/** The key-bearing part of a project's sampling settings. */
export type EndpointKeys = { baseUrl: string; apiKey: string | null; apiKeyEnv: string | null };

/** What a PUT asks for: absent keeps, null removes, a value sets. */
export type EndpointEdit = { baseUrl: string; apiKey?: string | null | undefined; apiKeyEnv?: string | null | undefined };

export type KeyDecision =
  | { ok: true; keys: EndpointKeys; dropped: { apiKey: boolean; apiKeyEnv: boolean } }
  | { ok: false; message: string };

/**
 * Whether two base URLs send requests to the same place: compared as the chat completions URL each one
 * is turned into, so `…/v1`, `…/v1/` and `…/v1/chat/completions` are one endpoint and any other host,
 * port, scheme, path or query is another.
 */
export function sameEndpoint(a: string, b: string): boolean {
  try {
    return chatCompletionsUrl(a).href === chatCompletionsUrl(b).href;
  } catch {
    return false;
  }
}

/** Only variables an operator named for this purpose may be read, so no other secret of the process can be. */
export function keyEnvAllowed(name: string): boolean {
  return name.startsWith(apiKeyEnvPrefix) && name.length > apiKeyEnvPrefix.length;
}

/**
 * The keys after an edit. A key is bound to the base URL it was stored with: a new URL drops the stored key
 * and the admin's variable unless the same request brings them again, so a key is never sent anywhere its
 * owner did not point it. Only an admin may name a variable (`mayNameKeyEnv`); anyone may keep or drop one.
 */
export function keysAfterEdit(before: EndpointKeys | null, edit: EndpointEdit, mayNameKeyEnv: boolean): KeyDecision {
  const sameUrl = before !== null && sameEndpoint(before.baseUrl, edit.baseUrl);
  const keptKey = sameUrl ? before.apiKey : null;
  const keptEnv = sameUrl ? before.apiKeyEnv : null;
  const apiKey = edit.apiKey === undefined ? keptKey : edit.apiKey;
  let apiKeyEnv: string | null;
  if (edit.apiKeyEnv === undefined || edit.apiKeyEnv === keptEnv) apiKeyEnv = keptEnv;
  else if (edit.apiKeyEnv === null) apiKeyEnv = null;
  else if (!mayNameKeyEnv) {
    return {
      ok: false,
      message: !sameUrl && before?.apiKeyEnv === edit.apiKeyEnv
        ? `only an admin may point $${edit.apiKeyEnv} at a new base URL; leave apiKeyEnv out (a new URL drops it) or send an apiKey for the new URL`
        : 'only an admin may choose the environment variable the API key is read from; leave apiKeyEnv out to keep the current one, or send an apiKey',
    };
  } else apiKeyEnv = edit.apiKeyEnv;
  return {
    ok: true,
    keys: { baseUrl: edit.baseUrl, apiKey, apiKeyEnv },
    dropped: { apiKey: before?.apiKey != null && edit.apiKey === undefined && !sameUrl, apiKeyEnv: before?.apiKeyEnv != null && edit.apiKeyEnv === undefined && !sameUrl },
  };
}

/** The key the server sends: the stored one, else the allowed variable the settings name; never anything else. */
export function resolveApiKey(settings: Pick<EndpointKeys, 'apiKey' | 'apiKeyEnv'>, env: NodeJS.ProcessEnv = process.env): string | null {
  if (settings.apiKey) return settings.apiKey;
  if (settings.apiKeyEnv && keyEnvAllowed(settings.apiKeyEnv)) return env[settings.apiKeyEnv] || null;
  return null;
}

/** Why the settings cannot send the key they name, or null: the variable is not allowed or not set. */
export function keyEnvProblem(settings: Pick<EndpointKeys, 'apiKey' | 'apiKeyEnv'>, env: NodeJS.ProcessEnv = process.env): string | null {
  if (settings.apiKey || !settings.apiKeyEnv) return null;
  if (!keyEnvAllowed(settings.apiKeyEnv)) return `the API key variable must start with ${apiKeyEnvPrefix}; an admin must name one that does`;
  return env[settings.apiKeyEnv] ? null : `the environment variable ${settings.apiKeyEnv} that should hold the API key is not set on the server`;
}

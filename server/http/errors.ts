import type { Context } from 'hono';
import type { ClientErrorStatusCode, ServerErrorStatusCode } from 'hono/utils/http-status';
import { zValidator } from '@hono/zod-validator';
import type { ZodType } from 'zod';
import { jsonNestsDeeperThan, maxJsonDepth } from './json-depth.ts';

export type ErrorStatus = Exclude<ClientErrorStatusCode | ServerErrorStatusCode, 204>;

/** The API's error body; the status type is kept narrow so error shapes never join a route's success types. */
export function apiError<S extends ErrorStatus>(c: Context, status: S, code: string, message: string, issues?: unknown[]) {
  return c.json({ error: { code, message, ...(issues ? { issues } : {}) } }, status);
}

/** 429 with Retry-After, as login throttling answers (server/auth/login-throttle.ts). */
export function tooManyAttempts(c: Context, retryAfterSeconds: number, what: string) {
  c.header('Retry-After', String(retryAfterSeconds));
  return apiError(c, 429, 'too_many_attempts', `${what}; try again in ${retryAfterSeconds} s`);
}

/** zod validation with the API's error body: 400 with every zod issue, never a 500 for a bad payload. */
export function validate<T extends ZodType, Target extends 'json' | 'query' | 'param'>(target: Target, schema: T) {
  const validator = zodValidator(target, schema);
  if (target !== 'json') return validator;
  // The same middleware type, so c.req.valid('json') stays typed for the routes and the client.
  const guarded: typeof validator = async (c, next) => {
    // Read once; Hono caches the text, and the validator's c.req.json() parses that same text.
    const text = await c.req.text();
    // Cast: the validator's declared 400 is its zod-issues body; this one is the plain error body beside it.
    if (jsonNestsDeeperThan(text, maxJsonDepth)) return apiError(c, 400, 'too_deep', `the JSON body nests deeper than ${maxJsonDepth} levels`) as never;
    return validator(c, next);
  };
  return guarded;
}

function zodValidator<T extends ZodType, Target extends 'json' | 'query' | 'param'>(target: Target, schema: T) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      const issues = result.error.issues;
      const first = issues[0];
      const where = first && first.path.length ? `${first.path.join('.')}: ` : '';
      return c.json({ error: { code: 'invalid_input', message: `${where}${first?.message ?? 'invalid input'}`, issues } }, 400);
    }
    // None of the shared schemas has an async refinement, so the synchronous parser serves (it skips a promise per
    // field). The cast: zod-validator types the result through a conditional on T that stays open for a generic T.
  }, { validationFunction: (s: T, value: unknown) => s.safeParse(value) as never });
}

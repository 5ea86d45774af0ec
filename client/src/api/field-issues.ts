import { ApiRequestError } from './client.ts';

/**
 * The server's zod issues keyed by the top-level field they are about, so a form can show each
 * message under its own input; messages without a path land under '' (shown above the button).
 */
export function fieldIssues(error: unknown, fieldOfCode: Record<string, string> = {}): Record<string, string> {
  if (!(error instanceof ApiRequestError)) return error instanceof Error ? { '': error.message } : {};
  // Errors such as "username_taken" carry no issues but are still about one field.
  const field = fieldOfCode[error.code];
  if (field !== undefined) return { [field]: error.message };
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    if (typeof issue !== 'object' || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') continue;
    const key = Array.isArray(path) && path.length > 0 ? String(path[0]) : '';
    out[key] ??= message;
  }
  if (Object.keys(out).length === 0) out[''] = error.message;
  return out;
}

/**
 * The issues about one list field (`criteria`), keyed by the rest of their path: `0.key` for the first item's key,
 * '' for the list as a whole (too many items, none at all).
 */
export function listFieldIssues(error: unknown, field: string): Record<string, string> {
  if (!(error instanceof ApiRequestError)) return {};
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    if (typeof issue !== 'object' || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof message !== 'string' || !Array.isArray(path) || path[0] !== field) continue;
    out[path.slice(1).map(String).join('.')] ??= message;
  }
  return out;
}

/** The import route's `issues`: one `{line, message}` per bad line of the file. */
export function lineIssues(error: unknown): { line: number; message: string }[] {
  if (!(error instanceof ApiRequestError)) return [];
  return error.issues.flatMap((issue) => {
    if (typeof issue !== 'object' || issue === null) return [];
    const { line, message } = issue as { line?: unknown; message?: unknown };
    return typeof line === 'number' && typeof message === 'string' ? [{ line, message }] : [];
  });
}

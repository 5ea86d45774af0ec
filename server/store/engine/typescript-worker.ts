/**
 * The server runs TypeScript under tsx (`node --import tsx`, the CLI's tsx, vitest), but a worker thread does not
 * inherit module hooks, so a worker's entry registers tsx's before it imports its own module. Resolved once, at load:
 * `import.meta.resolve` waits on the module hooks' thread.
 */
const tsxApi = import.meta.resolve('tsx/esm/api');

/** The entry to start `new Worker(...)` with, for the TypeScript module at `moduleUrl`. */
export function typescriptWorkerEntry(moduleUrl: URL): URL {
  return new URL(`data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(moduleUrl.href)});`)}`);
}

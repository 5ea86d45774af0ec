import type { Store } from '../store/store.ts';
import type { PendingPrompt } from '../store/sampling.ts';

const pageSize = 256;

/**
 * The job's pending prompts one at a time, read from its task table a page at a time, so a 100k-prompt job never
 * holds them all. One page read at a time: workers that find the page empty together wait for the same read. From a
 * loaded page the next prompt comes back as is, not in a promise: that is every call but one a page, and each await
 * of a promise is a turn of the microtask queue on the path between one answer and the next request.
 */
export function pendingPromptPages(store: Store, jobId: number): () => PendingPrompt | Promise<PendingPrompt | null> {
  let page: PendingPrompt[] = [];
  let after = 0;
  let exhausted = false;
  let loading: Promise<void> | null = null;
  const load = async () => {
    while (page.length === 0 && !exhausted) {
      loading ??= store.sampling.pendingPrompts(jobId, after, pageSize).then((rows) => {
        page = rows;
        if (rows.length === 0) exhausted = true;
        else after = rows[rows.length - 1]?.promptId ?? after;
        loading = null;
      });
      await loading;
    }
    return page.shift() ?? null;
  };
  return () => page.shift() ?? load();
}

import { values, type Sql } from './engine/sql.ts';
import type { AssignmentView } from '../../shared/tasks.ts';
import type { ChatMessage } from '../../shared/messages.ts';

/** What a task shows of its prompt: the prompt itself and the text of each response by id. */
export type PromptView = { prompt: AssignmentView['prompt']; texts: Map<number, string> };

// Prompts and responses are only ever inserted (no statement updates or deletes their texts), so a view read
// once stays true on every server and needs no invalidation. The labeling pool hands the same prompt to R
// labelers in a row, so a few thousand recent prompts cover the hot set. Should prompt texts ever become
// editable, the statement that edits them must call `forget`, and other servers need the same word.
const capacity = 2000;

/** A small LRU of prompt views, one per store (so per database); JavaScript Maps keep insertion order. */
export function promptViewCache() {
  const views = new Map<number, PromptView>();
  return {
    /** The prompt's view with the texts of `responseIds`, from memory when it has them all, else in one query. */
    *view(promptId: number, responseIds: readonly number[]): Sql<PromptView | undefined> {
      const cached = views.get(promptId);
      if (cached && responseIds.every((id) => cached.texts.has(id))) {
        views.delete(promptId);
        views.set(promptId, cached);
        return cached;
      }
      return yield* this.reload(promptId);
    },
    *reload(promptId: number): Sql<PromptView | undefined> {
      // The prompt and its responses in one round trip: the prompt's columns repeat on each of its K rows.
      const rows = yield* values<[string, string, string, number | null, string | null]>(
        `SELECT p.external_id, p.messages, p.metadata, r.id, r.text FROM prompts p LEFT JOIN responses r ON r.prompt_id = p.id WHERE p.id = ? ORDER BY r.id`,
        promptId,
      );
      const first = rows[0];
      if (!first) return undefined;
      const view: PromptView = {
        prompt: { id: promptId, externalId: first[0], messages: JSON.parse(first[1]) as ChatMessage[], metadata: JSON.parse(first[2]) as Record<string, unknown> },
        texts: new Map(rows.flatMap((r) => (r[3] === null ? [] : [[r[3], r[4] ?? '']]))),
      };
      views.set(promptId, view);
      if (views.size > capacity) views.delete(views.keys().next().value as number);
      return view;
    },
    /** The ids of a prompt's responses, which the lease shuffles into a display order: from memory when all `count` are there. */
    *responseIds(promptId: number, count: number): Sql<number[]> {
      const cached = views.get(promptId);
      const view = cached && cached.texts.size === count ? cached : yield* this.reload(promptId);
      return view ? [...view.texts.keys()] : [];
    },
    forget(promptId: number): void {
      views.delete(promptId);
    },
  };
}
export type PromptViewCache = ReturnType<typeof promptViewCache>;

import type { Db } from './db.ts';
import { rankingCounts } from './counted-rankings.ts';
import { promptPlaces } from './prompt-places.ts';
import type { ChatMessage } from '../../shared/messages.ts';
import type { ReviewPromptInput } from '../review/review-rows.ts';

export type ReviewPromptState = { id: number; externalId: string; excluded: boolean; extraLabelers: number; keptRankings: number };

/** A lead's review: every ranked prompt with its rankings in brief, and the switches that take things out of the data. */
export function reviewStore(db: Db) {
  const prompts = db.prepare<[number], { id: number; external_id: string; messages: string; excluded: number; extra_labelers: number }>(
    'SELECT id, external_id, messages, excluded, extra_labelers FROM prompts WHERE project_id = ? AND submitted > 0 ORDER BY id',
  );
  // Whether a ranking counts here ignores the prompt's own exclusion: a lead reviewing an excluded prompt still
  // wants to see how its labelers agreed.
  const rankings = db.prepare<[number], { prompt_id: number; tiers: string; counted: number; not_rankable: number; flags: string; has_comment: number }>(
    `SELECT r.prompt_id, r.tiers, (${rankingCounts}) AS counted,
            r.not_rankable, r.flags, r.comment <> '' AS has_comment
     FROM rankings r LEFT JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
     WHERE r.project_id = ? ORDER BY r.prompt_id, r.id`,
  );
  const prompt = db.prepare<[number, number], { id: number; external_id: string; messages: string; excluded: number; extra_labelers: number; kept: number }>(
    'SELECT id, external_id, messages, excluded, extra_labelers, kept FROM prompts WHERE id = ? AND project_id = ?',
  );
  // Who the pool could still offer the prompt to: labelers of the project, not excluded, who have not ranked, skipped
  // or leased it (the pool's own rule). Leads are left out: they may label, but a lead is not who "send back" promises.
  const openTo = db.prepare<[number, number], { n: number }>(
    `SELECT count(*) AS n FROM project_members m
     WHERE m.project_id = ? AND m.role = 'labeler' AND m.excluded = 0
       AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.prompt_id = ? AND a.user_id = m.user_id AND a.state IN ('open', 'submitted', 'skipped'))`,
  );
  const excludedAuthors = db.prepare<[number], { user_id: number }>(
    `SELECT DISTINCT r.user_id FROM rankings r JOIN project_members m ON m.project_id = r.project_id AND m.user_id = r.user_id
     WHERE r.prompt_id = ? AND m.excluded = 1`,
  );
  const setPromptExcluded = db.prepare<[number, number, number]>('UPDATE prompts SET excluded = ? WHERE id = ? AND project_id = ?');
  // One place more than the prompt holds now: after an exclusion was taken back it may hold more than R + extra, and a
  // place added below what it holds would be filled already, so nobody would be asked.
  const addExtra = db.prepare<[number, number, number], { extra_labelers: number }>(
    'UPDATE prompts SET extra_labelers = max(extra_labelers, taken - ?) + 1 WHERE id = ? AND project_id = ? RETURNING extra_labelers',
  );
  const setMemberExcluded = db.prepare<[number, number, number]>('UPDATE project_members SET excluded = ? WHERE project_id = ? AND user_id = ?');
  // An excluded labeler's open task ends with the exclusion: its place goes back to the pool at once.
  const endOpenLeases = db.prepare<[number, number, number]>("UPDATE assignments SET state = 'expired', finished_at = ? WHERE project_id = ? AND user_id = ? AND state = 'open'");
  const setRankingExcluded = db.prepare<[number, number, number], { prompt_id: number }>('UPDATE rankings SET excluded = ? WHERE id = ? AND project_id = ? RETURNING prompt_id');
  const places = promptPlaces(db);
  // Each exclusion and the recount of the places it changes commit together, so the pool never sees one without the other.
  const memberTx = db.transaction((projectId: number, userId: number, excluded: boolean, now: number): boolean => {
    if (setMemberExcluded.run(excluded ? 1 : 0, projectId, userId).changes === 0) return false;
    if (excluded) endOpenLeases.run(now, projectId, userId);
    places.recountMember(projectId, userId);
    return true;
  });
  const rankingTx = db.transaction((projectId: number, rankingId: number, excluded: boolean): boolean => {
    const row = setRankingExcluded.get(excluded ? 1 : 0, rankingId, projectId);
    if (!row) return false;
    places.recountPrompt(row.prompt_id);
    return true;
  });

  return {
    /** Every ranked prompt of the project with its rankings, read in two passes rather than a query per prompt. */
    promptInputs(projectId: number): ReviewPromptInput[] {
      const byId = new Map<number, ReviewPromptInput>();
      const out: ReviewPromptInput[] = [];
      for (const p of prompts.iterate(projectId)) {
        const input: ReviewPromptInput = {
          promptId: p.id,
          externalId: p.external_id,
          messages: JSON.parse(p.messages) as ChatMessage[],
          excluded: p.excluded === 1,
          extraLabelers: p.extra_labelers,
          rankings: [],
        };
        byId.set(p.id, input);
        out.push(input);
      }
      for (const r of rankings.iterate(projectId)) {
        const flags = JSON.parse(r.flags) as Record<string, unknown[]>;
        byId.get(r.prompt_id)?.rankings.push({
          tiers: JSON.parse(r.tiers) as number[][],
          counted: r.counted === 1,
          notRankable: r.not_rankable === 1,
          flagged: Object.values(flags).some((list) => list.length > 0),
          commented: r.has_comment === 1,
        });
      }
      return out;
    },
    prompt(projectId: number, promptId: number): (ReviewPromptState & { messages: ChatMessage[] }) | null {
      const p = prompt.get(promptId, projectId);
      return p
        ? { id: p.id, externalId: p.external_id, messages: JSON.parse(p.messages) as ChatMessage[], excluded: p.excluded === 1, extraLabelers: p.extra_labelers, keptRankings: p.kept }
        : null;
    },
    /** How many labelers of the project the pool could still offer this prompt to. */
    openToLabelers(projectId: number, promptId: number): number {
      return openTo.get(projectId, promptId)?.n ?? 0;
    },
    /** Labelers of this prompt who are excluded from the project's figures. */
    excludedAuthors(promptId: number): number[] {
      return excludedAuthors.all(promptId).map((r) => r.user_id);
    },
    /** False when the prompt is not this project's. Excluded prompts also leave the assignment pool (its index skips them). */
    setPromptExcluded(projectId: number, promptId: number, excluded: boolean): boolean {
      return setPromptExcluded.run(excluded ? 1 : 0, promptId, projectId).changes > 0;
    },
    /** One more place than the prompt holds: the pool offers it while `taken - extra_labelers < R` (taken: kept rankings + open leases). Null when not this project's. */
    addExtraLabeler(project: { id: number; labelersPerPrompt: number }, promptId: number): number | null {
      return addExtra.get(project.labelersPerPrompt, promptId, project.id)?.extra_labelers ?? null;
    },
    /** False when not a member. Excluding also ends their open task; either way the places of their prompts are recounted. */
    setMemberExcluded(projectId: number, userId: number, excluded: boolean, now = Date.now()): boolean {
      return memberTx.immediate(projectId, userId, excluded, now);
    },
    /** False when the ranking is not this project's; the prompt's places are recounted. */
    setRankingExcluded(projectId: number, rankingId: number, excluded: boolean): boolean {
      return rankingTx.immediate(projectId, rankingId, excluded);
    },
  };
}

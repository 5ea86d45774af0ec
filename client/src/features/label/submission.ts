import type { Flag, SubmitInput } from '../../../../shared/tasks.ts';
import type { CriterionRankings } from '../../../../shared/criteria.ts';

/** Per response id, the flags the labeler set on it. */
export type FlagMap = Readonly<Record<number, readonly Flag[]>>;

export const flagOrder: readonly Flag[] = ['harmful', 'factually-wrong', 'off-instruction'];

export const flagLabels: Record<Flag, string> = {
  harmful: 'Harmful',
  'factually-wrong': 'Factually wrong',
  'off-instruction': 'Off-instruction',
};

/** Sets or clears one flag; the list keeps a fixed order so the same judgement is always the same payload. */
export function toggleFlag(flags: FlagMap, id: number, flag: Flag): FlagMap {
  const current = flags[id] ?? [];
  const next = current.includes(flag) ? current.filter((f) => f !== flag) : flagOrder.filter((f) => f === flag || current.includes(f));
  const out: Record<number, readonly Flag[]> = { ...flags };
  if (next.length) out[id] = next;
  else delete out[id];
  return out;
}

/**
 * An untouched order is not a ranking: the shuffled display order would go into the data as the labeler's judgement
 * (position bias). A submit needs a card moved, placed or tied, "not rankable", or the order shown confirmed.
 */
export function readyToSubmit(s: { acted: boolean; notRankable: boolean; confirmed: boolean }): boolean {
  return s.acted || s.notRankable || s.confirmed;
}

export type LabelDraft = {
  tiers: number[][];
  /** A project with more than one criterion: every criterion's tiers, sent as `rankings` instead of `tiers`. */
  rankings?: CriterionRankings;
  notRankable: boolean;
  flags: FlagMap;
  comment: string;
  durationMs: number;
};

/**
 * The body of POST /api/assignments/:id/submit; "not rankable" sends no tiers, so none are stored. A one-criterion
 * project sends `ranking` as it always has, so a server or script that knows nothing of criteria reads it unchanged.
 */
export function toSubmitBody(d: LabelDraft): SubmitInput {
  const flags: Record<string, Flag[]> = {};
  for (const [id, list] of Object.entries(d.flags)) if (list.length) flags[id] = [...list];
  return {
    ...(d.notRankable
      ? { notRankable: true }
      : d.rankings
        ? { rankings: Object.fromEntries(Object.entries(d.rankings).map(([key, tiers]) => [key, tiers.map((t) => [...t])])), notRankable: false }
        : { ranking: d.tiers.map((t) => [...t]), notRankable: false }),
    flags,
    // The server stores the comment trimmed; trimming here keeps "what was sent" equal to "what is stored".
    comment: d.comment.trim(),
    durationMs: Math.max(0, Math.round(d.durationMs)),
  };
}

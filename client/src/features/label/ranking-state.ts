/**
 * The order a labeler is building, as the screen shows it: a flat list of cards, best first, where a
 * card may be tied with the card above it. Tiers (what the API stores) are derived from it, so the
 * screen and the payload can never disagree.
 */
export type RankingState = {
  readonly order: readonly number[];
  /** tied[i]: order[i] shares a tier with order[i - 1]; tied[0] is always false. */
  readonly tied: readonly boolean[];
  readonly allowTies: boolean;
};

export type RankingAction =
  /** Put a card at a flat position (0-based, in the order after it is taken out), as a drop does. */
  | { type: 'move'; id: number; to: number }
  /** Move a card one place up (-1) or down (+1). */
  | { type: 'shift'; id: number; by: -1 | 1 }
  /** Tie a card with the one above it, or break that tie. */
  | { type: 'toggle-tie'; id: number };

/** The server's shuffled display order, nothing tied: the labeler starts from what they were shown. */
export function initialRanking(ids: readonly number[], allowTies: boolean): RankingState {
  return { order: [...ids], tied: ids.map(() => false), allowTies };
}

/**
 * A moved card always leaves its own tie (that is what moving means). Where it lands between two
 * cards that are tied with each other, it joins their tie: splitting them instead would silently
 * change how the labeler ranked two cards they never touched.
 */
function move(state: RankingState, id: number, to: number): RankingState {
  const from = state.order.indexOf(id);
  // Put back where it was (a drop on itself, its own digit): nothing changes, not even its tie.
  if (from === -1 || from === to) return state;
  const order = [...state.order];
  const tied = [...state.tied];
  const wasTied = tied[from] ?? false;
  order.splice(from, 1);
  tied.splice(from, 1);
  // The card under it headed nothing before; if it was tied to the moved card it now heads the tier.
  if (!wasTied && from < tied.length) tied[from] = false;
  const at = Math.max(0, Math.min(to, order.length));
  const joins = state.allowTies && at > 0 && at < order.length && (tied[at] ?? false);
  order.splice(at, 0, id);
  tied.splice(at, 0, joins);
  tied[0] = false;
  return { ...state, order, tied };
}

export function rankingReducer(state: RankingState, action: RankingAction): RankingState {
  switch (action.type) {
    case 'move':
      return move(state, action.id, action.to);
    case 'shift': {
      const from = state.order.indexOf(action.id);
      const to = from + action.by;
      if (from === -1 || to < 0 || to >= state.order.length) return state;
      return move(state, action.id, to);
    }
    case 'toggle-tie': {
      const i = state.order.indexOf(action.id);
      if (!state.allowTies || i <= 0) return state;
      const tied = [...state.tied];
      tied[i] = !tied[i];
      return { ...state, tied };
    }
  }
}

/** Tiers of response ids, best first: exactly what is submitted. */
export function toTiers(state: RankingState): number[][] {
  const tiers: number[][] = [];
  state.order.forEach((id, i) => {
    const last = tiers[tiers.length - 1];
    if (i > 0 && state.tied[i] && last) last.push(id);
    else tiers.push([id]);
  });
  return tiers;
}

/** The rank each card shows: its tier's first position, "=" marking a tie ("1", "=2", "=2", "4"). */
export function rankLabels(state: RankingState): string[] {
  const labels: string[] = [];
  let position = 0;
  for (const tier of toTiers(state)) {
    const label = tier.length > 1 ? `=${position + 1}` : String(position + 1);
    for (let j = 0; j < tier.length; j++) labels.push(label);
    position += tier.length;
  }
  return labels;
}

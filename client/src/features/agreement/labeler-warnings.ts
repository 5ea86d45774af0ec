/** What the warning marks read of a labeler's row in the agreement report. */
export type LabelerFigures = {
  labeler: string | number;
  tauB: number | null;
  medianMs: number | null;
  positionBias: number | null;
  expectedPositionBias: number | null;
  positionBiasP: number | null;
};

export type LabelerWarning = { kind: 'agreement' | 'position' | 'speed'; text: string };

/** How far below the labelers' median tau-b a labeler must fall to be marked: a third of tau-b's range of agreement. */
export const tauGap = 0.3;
/** Putting the response shown first on top this many times as often as chance would. */
export const positionFactor = 2;
/** ...and that often being this unlikely by chance (one-sided binomial test), so three lucky draws mark nobody. */
export const positionP = 0.01;
/** A median ranking time under this is too fast to have read K responses. */
export const fastMs = 5_000;

function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Marks for labelers whose work looks unreliable: tau-b against the leave-one-out consensus far below the others'
 * (under the median − 0.3) or negative; the response shown first ranked on top at least twice as often as chance
 * (2/K) and with p < 0.01 of that happening by chance; a median time per ranking under 5 s. Marks are prompts to look, not verdicts.
 */
export function labelerWarnings(labelers: readonly LabelerFigures[]): Map<string, LabelerWarning[]> {
  const taus = labelers.flatMap((l) => (l.tauB === null ? [] : [l.tauB]));
  const typical = median(taus);
  const out = new Map<string, LabelerWarning[]>();
  for (const l of labelers) {
    const marks: LabelerWarning[] = [];
    if (l.tauB !== null && l.tauB < 0) marks.push({ kind: 'agreement', text: `ranks against the consensus (τ-b ${l.tauB.toFixed(2).replace('-', '−')})` });
    else if (l.tauB !== null && typical !== null && l.tauB < typical - tauGap)
      marks.push({ kind: 'agreement', text: `τ-b ${l.tauB.toFixed(2)} is far below the median ${typical.toFixed(2)}` });
    if (l.positionBias !== null && l.expectedPositionBias !== null && l.positionBiasP !== null && l.positionBias >= positionFactor * l.expectedPositionBias && l.positionBiasP < positionP)
      marks.push({
        kind: 'position',
        text: `puts the response shown first on top ${Math.round(l.positionBias * 100)}% of the time (chance ${Math.round(l.expectedPositionBias * 100)}%, p = ${formatP(l.positionBiasP)})`,
      });
    if (l.medianMs !== null && l.medianMs < fastMs) marks.push({ kind: 'speed', text: `median ${(l.medianMs / 1000).toFixed(1)} s per ranking` });
    out.set(String(l.labeler), marks);
  }
  return out;
}

import type { Criterion } from '../../shared/criteria.ts';

/** A judge's ranking of what it was shown: tiers of display positions (0 for A), best first. */
export type LetterTiers = number[][];

export type ParsedJudgeAnswer = { ok: true; rankings: Record<string, LetterTiers> } | { ok: false; message: string };

// Letters joined by ">" or "=" (at least one of them), e.g. "A > B = C > D".
const rankingPattern = /(?<![A-Za-z])[A-Ia-i](?:\s*[>=]\s*[A-Ia-i](?![A-Za-z]))+/g;

/** What models wrap their answers in: markdown emphasis, code, brackets, "Response A", and look-alike symbols. */
function plain(line: string): string {
  return line
    .replace(/[*_`[\]()]/g, ' ')
    .replace(/[≻›»]/g, '>')
    .replace(/[≈≡]/g, '=')
    .replace(/\bresponses?\s+(?=[A-Ia-i]\b)/gi, '');
}

type Found = { label: string; tiers: LetterTiers | string };

/** Tiers of one "A > B = C" string, or why it is no ranking of exactly K letters. */
function tiersOf(expression: string, k: number): LetterTiers | string {
  const tiers: LetterTiers = [[]];
  const seen = new Set<number>();
  for (const token of expression.replace(/\s+/g, '').toUpperCase().match(/[A-I]|[>=]/g) ?? []) {
    if (token === '>') tiers.push([]);
    else if (token !== '=') {
      const index = token.charCodeAt(0) - 65;
      if (index >= k) return `it names response ${token}, but there are only ${k}`;
      if (seen.has(index)) return `it names response ${token} twice`;
      seen.add(index);
      tiers[tiers.length - 1]?.push(index);
    }
  }
  if (seen.size < k) {
    const missing = Array.from({ length: k }, (_, i) => i).filter((i) => !seen.has(i)).map((i) => String.fromCharCode(65 + i));
    return `it leaves out ${missing.join(', ')}`;
  }
  return tiers;
}

/** Every ranking line of the answer with the words before it, in order. */
function rankingLines(text: string, k: number): Found[] {
  const found: Found[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = plain(raw);
    let best: RegExpExecArray | null = null;
    for (const m of line.matchAll(rankingPattern)) if (!best || m[0].length > best[0].length) best = m;
    if (!best) continue;
    found.push({ label: line.slice(0, best.index).toLowerCase(), tiers: tiersOf(best[0], k) });
  }
  return found;
}

const labelNames = (c: Pick<Criterion, 'key' | 'name'>): string[] => [c.key.toLowerCase(), c.name.toLowerCase()];

/**
 * Reads a judge's answer: for each criterion, the last line naming it (by key or name) that holds a ranking of all K
 * letters with ">" and "=" (ties), so reasoning before the final lines does no harm. A one-criterion project also takes
 * a last bare ranking line; lines without a label fill the remaining criteria in order when there are exactly enough.
 */
export function parseJudgeAnswer(text: string, criteria: readonly Pick<Criterion, 'key' | 'name'>[], k: number): ParsedJudgeAnswer {
  const lines = rankingLines(text, k);
  if (lines.length === 0) return { ok: false, message: 'no ranking such as "A > B = C" in the answer' };
  const rankings: Record<string, LetterTiers> = {};
  const problems: string[] = [];
  // The last line that reads as a full ranking wins; a broken one counts only when no line reads.
  const take = (key: string, what: string, candidates: Found[]) => {
    const valid = candidates.filter((l) => typeof l.tiers !== 'string');
    const last = valid[valid.length - 1] ?? candidates[candidates.length - 1];
    if (!last) return;
    if (typeof last.tiers === 'string') problems.push(`${what}: ${last.tiers}`);
    else rankings[key] = last.tiers;
  };
  const isLabelled = (l: Found) => criteria.some((c) => labelNames(c).some((n) => l.label.includes(n)));
  for (const c of criteria) {
    const names = labelNames(c);
    take(c.key, `the ranking for ${c.key}`, lines.filter((l) => names.some((n) => l.label.includes(n))));
  }
  const missing = criteria.filter((c) => !(c.key in rankings) && !problems.some((p) => p.startsWith(`the ranking for ${c.key}:`)));
  const bare = lines.filter((l) => !isLabelled(l));
  const only = missing[0];
  if (criteria.length === 1 && only) take(only.key, 'the ranking', bare);
  else if (missing.length > 0 && bare.length === missing.length) missing.forEach((c, i) => take(c.key, `the ranking for ${c.key}`, bare.slice(i, i + 1)));
  if (problems.length) return { ok: false, message: problems.join('; ') };
  const absent = criteria.filter((c) => !(c.key in rankings)).map((c) => c.key);
  if (absent.length) return { ok: false, message: `no ranking line for ${absent.join(', ')}` };
  return { ok: true, rankings };
}

// Scripted judges for the fake OpenAI server: each reads the responses out of Podium's judge prompt as a model would.

/** The letters and the "quality N" each response of a judge prompt states, in the order shown. */
export function shownQualities(prompt: string): { letter: string; quality: number }[] {
  return [...prompt.matchAll(/<response ([A-I])>\n[^]*?quality (\d+)[^]*?<\/response \1>/g)].map((m) => ({ letter: m[1] ?? '?', quality: Number(m[2]) }));
}

const line = (letters: string[]) => `overall: ${letters.join(' > ')}`;

/** Ranks by the stated quality, best first: agrees with labelers who do the same. */
export function accurateJudge(prompt: string): string {
  const shown = shownQualities(prompt);
  return `Comparing each response carefully.\n${line([...shown].sort((a, b) => b.quality - a.quality).map((s) => s.letter))}`;
}

/** Always puts the response shown first on top, the rest by quality: the bias two display orders expose. */
export function firstShownJudge(prompt: string): string {
  const [first, ...rest] = shownQualities(prompt);
  return line([first?.letter ?? 'A', ...rest.sort((a, b) => b.quality - a.quality).map((s) => s.letter)]);
}

export const garbageAnswer = 'Honestly, they are all good answers in their own way.';

/**
 * A judge of a two-criterion project that disagrees with itself across criteria: the first criterion by stated
 * quality (best first), the second by the reverse, one labelled line each, as the default template asks.
 */
export function twoCriteriaJudge(prompt: string, [first, second]: readonly [string, string]): string {
  const byQuality = [...shownQualities(prompt)].sort((a, b) => b.quality - a.quality).map((s) => s.letter);
  return `${first}: ${byQuality.join(' > ')}\n${second}: ${[...byQuality].reverse().join(' > ')}`;
}

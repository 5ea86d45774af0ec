/**
 * Why an export left a prompt or a pair out. Prompt reasons count prompts, pair reasons count pairs; each
 * left-out item is counted once, under the first reason that applies (in this order). No zod here, so the client's
 * bundle can carry the descriptions; the schema is in export-skips.ts.
 */
export const skipReasonNames = [
  'prompt-excluded',
  'unlabeled',
  'not-rankable',
  'rankings-excluded',
  'below-min-labelers',
  'consensus-tied',
  'below-min-margin',
  'below-min-agreement',
  'same-text',
  'unrepresentable',
  'duplicate-line',
] as const;
export type SkipReason = (typeof skipReasonNames)[number];

/** What each reason means, for the export page, the CLI's stderr and docs/formats.md alike. */
export const skipReasons: Record<SkipReason, { unit: 'prompt' | 'pair'; about: string }> = {
  'prompt-excluded': { unit: 'prompt', about: 'the prompt was excluded on the review page' },
  unlabeled: { unit: 'prompt', about: 'nobody has ranked it yet' },
  'not-rankable': { unit: 'prompt', about: 'most of its labelers marked it not rankable' },
  'rankings-excluded': { unit: 'prompt', about: 'fewer counted rankings than min labelers because rankings or labelers were excluded' },
  'below-min-labelers': { unit: 'prompt', about: 'fewer counted rankings than min labelers' },
  'consensus-tied': { unit: 'prompt', about: 'every response tied in the consensus, so there is no pair' },
  'below-min-margin': { unit: 'pair', about: 'margin below min margin' },
  'below-min-agreement': { unit: 'pair', about: 'agreement below min agreement' },
  'same-text': { unit: 'pair', about: 'chosen and rejected have the same text (ignoring whitespace)' },
  unrepresentable: { unit: 'pair', about: 'the format cannot hold it unambiguously (hh-rlhf: a text contains "\\n\\nHuman:" or "\\n\\nAssistant:")' },
  'duplicate-line': { unit: 'pair', about: 'the same line is already in the file' },
};

/** "3 prompts: nobody has ranked it yet" lines, largest first, for the CLI and the page. */
export function describeSkipped(skipped: Partial<Record<SkipReason, number>>): { reason: SkipReason; count: number; text: string }[] {
  const out: { reason: SkipReason; count: number; text: string }[] = [];
  for (const reason of skipReasonNames) {
    const count = skipped[reason];
    if (!count) continue;
    const { unit, about } = skipReasons[reason];
    out.push({ reason, count, text: `${count} ${unit}${count === 1 ? '' : 's'}: ${about}` });
  }
  return out.sort((a, b) => b.count - a.count);
}

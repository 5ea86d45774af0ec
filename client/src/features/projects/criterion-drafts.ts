import type { Criterion } from '../../../../shared/criteria.ts';

/** A criterion as the new-project form holds it: text fields as typed, the key following the name until edited. */
export type CriterionDraft = { id: number; key: string; name: string; description: string; weight: string; keyEdited: boolean };

export const defaultCriterionDrafts = (): CriterionDraft[] => [{ id: 1, key: 'overall', name: 'Overall', description: '', weight: '1', keyEdited: false }];

/** "Harmlessness (safety)" → "harmlessness-safety": the key format criteria take (a lowercase letter, then letters, digits, hyphens). */
export function criterionKeyFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return slug.slice(0, 32).replace(/-+$/, '');
}

/**
 * What the form sends. A blank or non-numeric weight goes as NaN (JSON null), so the server's message says what is
 * expected rather than the form guessing.
 */
export function toCriteriaInput(drafts: readonly CriterionDraft[]): Criterion[] {
  return drafts.map((d) => ({ key: d.key.trim(), name: d.name, description: d.description, weight: d.weight.trim() === '' ? Number.NaN : Number(d.weight) }));
}

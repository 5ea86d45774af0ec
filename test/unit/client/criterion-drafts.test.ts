import { describe, expect, it } from 'vitest';
import { criterionKeyFromName, toCriteriaInput } from '../../../client/src/features/projects/criterion-drafts.ts';
import { listFieldIssues } from '../../../client/src/api/field-issues.ts';
import { ApiRequestError } from '../../../client/src/api/client.ts';
import { criterionSchema } from '../../../shared/criteria.ts';

describe('the new-project form criteria', () => {
  it('derives a key the server accepts from the name a lead types', () => {
    expect(criterionKeyFromName('Helpfulness')).toBe('helpfulness');
    expect(criterionKeyFromName('Harmlessness (safety)')).toBe('harmlessness-safety');
    expect(criterionKeyFromName('  Factual accuracy!  ')).toBe('factual-accuracy');
    expect(criterionKeyFromName('Éthique')).toBe('ethique');
    // A key starts with a letter and has at most 32 characters.
    expect(criterionKeyFromName('3 stars')).toBe('stars');
    expect(criterionKeyFromName('a'.repeat(40))).toHaveLength(32);
    for (const name of ['Helpfulness', 'Harmlessness (safety)', '3 stars', `${'word '.repeat(10)}`])
      expect(criterionSchema.safeParse({ key: criterionKeyFromName(name), name }).success).toBe(true);
  });

  it('sends a weight as a number, and a blank one as something the server names', () => {
    expect(toCriteriaInput([{ id: 1, key: ' helpful ', name: 'Helpful', description: '', weight: '2', keyEdited: true }])).toEqual([
      { key: 'helpful', name: 'Helpful', description: '', weight: 2 },
    ]);
    expect(toCriteriaInput([{ id: 1, key: 'h', name: 'H', description: '', weight: '', keyEdited: false }])[0]?.weight).toBeNaN();
  });

  it("puts each of the server's criteria issues under its own field", () => {
    const error = new ApiRequestError(400, 'invalid_request', 'invalid', [
      { path: ['criteria', 1, 'key'], message: 'criterion key "help" appears twice' },
      { path: ['criteria', 0, 'weight'], message: 'a weight is above 0' },
      { path: ['criteria'], message: 'a project has at most 5 criteria' },
      { path: ['name'], message: 'a project needs a name' },
    ]);
    expect(listFieldIssues(error, 'criteria')).toEqual({ '1.key': 'criterion key "help" appears twice', '0.weight': 'a weight is above 0', '': 'a project has at most 5 criteria' });
  });
});

import { describe, expect, it } from 'vitest';
import { chosenCriterion, criterionName, criterionQuery } from '../../../client/src/components/criterion-choice.ts';
import { exportQuery, formFromParams } from '../../../client/src/features/export/export-settings.ts';

const two = [
  { key: 'helpfulness', name: 'Helpfulness', description: '', weight: 1 },
  { key: 'harmlessness', name: 'Harmlessness', description: '', weight: 2 },
];

describe("a lead's page picks its criterion from the address", () => {
  it('sends nothing for the first criterion, so one-criterion projects ask what they asked before', () => {
    expect(chosenCriterion(null, two, true)).toBeUndefined();
    expect(chosenCriterion('helpfulness', two, true)).toBeUndefined();
    expect(chosenCriterion('harmlessness', [two[0]!], true)).toBeUndefined();
    expect(criterionQuery(undefined)).toEqual({});
  });

  it('takes another key, and combined only where the page offers it; anything else is the first', () => {
    expect(chosenCriterion('harmlessness', two, false)).toBe('harmlessness');
    expect(criterionQuery('harmlessness')).toEqual({ criterion: 'harmlessness' });
    expect(chosenCriterion('combined', two, true)).toBe('combined');
    expect(chosenCriterion('combined', two, false)).toBeUndefined();
    expect(chosenCriterion('honesty', two, true)).toBeUndefined();
  });

  it('names the figures shown', () => {
    expect(criterionName(undefined, two)).toBe('Helpfulness');
    expect(criterionName('harmlessness', two)).toBe('Harmlessness');
    expect(criterionName('combined', two)).toBe('Combined (weighted)');
    expect(criterionName(undefined, [two[0]!])).toBeUndefined();
  });

  it('carries the export criterion in the download link and the curl command, and keeps it over a reload', () => {
    const form = formFromParams(new URLSearchParams('format=trl&criterion=harmlessness'));
    expect(form.criterion).toBe('harmlessness');
    expect(exportQuery(form)).toEqual({ format: 'trl', criterion: 'harmlessness' });
    expect(exportQuery(formFromParams(new URLSearchParams('format=trl')))).toEqual({ format: 'trl' });
  });
});

import { describe, expect, it } from 'vitest';
import { defaultForm, formProblems } from '../../../client/src/features/export/export-settings.ts';
import { counted } from '../../../client/src/components/counted.ts';

describe('formProblems', () => {
  it('finds nothing wrong with the defaults or with blank fields, which leave the server its defaults', () => {
    expect(formProblems(defaultForm)).toEqual({});
    expect(formProblems({ ...defaultForm, testFraction: '', minLabelers: '', minMargin: '', minAgreement: '' })).toEqual({});
    expect(formProblems({ ...defaultForm, testFraction: '0', minLabelers: '2', minMargin: '0.5', minAgreement: '1' })).toEqual({});
  });

  it('names each out-of-range number in a sentence, as the server would refuse it', () => {
    expect(formProblems({ ...defaultForm, testFraction: '2' })).toEqual({ testFraction: 'Test fraction must be between 0 and 1' });
    expect(formProblems({ ...defaultForm, testFraction: '-0.1' })).toEqual({ testFraction: 'Test fraction must be between 0 and 1' });
    expect(formProblems({ ...defaultForm, minLabelers: '1.5', minMargin: '-1', minAgreement: '1.2' })).toEqual({
      minLabelers: 'Min labelers must be a whole number, 0 or more',
      minMargin: 'Min margin must be 0 or more',
      minAgreement: 'Min agreement must be between 0 and 1',
    });
  });

  it('refuses what is not a number at all', () => {
    expect(formProblems({ ...defaultForm, testFraction: 'abc' }).testFraction).toBeDefined();
  });
});

describe('counted', () => {
  it('puts the noun in the singular for one and the plural otherwise', () => {
    expect(counted(1, 'prompt')).toBe('1 prompt');
    expect(counted(0, 'prompt')).toBe('0 prompts');
    expect(counted(13, 'prompt')).toBe('13 prompts');
  });
});

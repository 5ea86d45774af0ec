import { describe, expect, it } from 'vitest';
import { chosenSources, includesSource, sourcesQuery } from '../../../client/src/components/source-choice.ts';
import { exportQuery, formFromParams } from '../../../client/src/features/export/export-settings.ts';
import { sourcesQuerySchema } from '../../../shared/sources.ts';

describe("a lead's page picks whose rankings it counts from the address", () => {
  it('sends nothing for the labelers, so a page asks what it asked before judges', () => {
    expect(chosenSources(null, true)).toBe('human');
    expect(chosenSources('human', true)).toBe('human');
    expect(sourcesQuery('human')).toEqual({});
  });

  it('takes judges or both, only in the spelling the server returns; on a project without judges, the labelers', () => {
    expect(chosenSources('judge', true)).toBe('judge');
    expect(chosenSources('human,judge', undefined)).toBe('human,judge');
    expect(sourcesQuery('human,judge')).toEqual({ sources: 'human,judge' });
    expect(chosenSources('judge,human', true)).toBe('human');
    expect(chosenSources('robots', true)).toBe('human');
    expect(chosenSources('judge', false)).toBe('human');
    expect(includesSource('human,judge', 'judge')).toBe(true);
    expect(includesSource('judge', 'human')).toBe(false);
  });

  it('offers only what the server accepts, each as the server spells it back', () => {
    for (const choice of ['human', 'judge', 'human,judge'] as const) expect(sourcesQuerySchema.parse(choice).join(',')).toBe(choice);
  });

  it('carries the export sources in the download link and the curl command, and keeps them over a reload', () => {
    const form = formFromParams(new URLSearchParams('format=trl&sources=judge'));
    expect(form.sources).toBe('judge');
    expect(exportQuery(form)).toEqual({ format: 'trl', sources: 'judge' });
    expect(exportQuery(formFromParams(new URLSearchParams('format=trl&sources=human')))).toEqual({ format: 'trl' });
  });
});

import type { RankingSource } from '../../../shared/sources.ts';

/**
 * Whose rankings a lead's page counts, as `?sources=` spells it (the server's canonical order): the labelers' (the
 * API's default), the AI judges', or both. Judges' rankings never count unless asked for (docs/judges.md).
 */
export const sourceChoices = [
  { value: 'human', label: 'Labelers' },
  { value: 'judge', label: 'AI judges' },
  { value: 'human,judge', label: 'Labelers and AI judges' },
] as const;
export type SourcesChoice = (typeof sourceChoices)[number]['value'];
export const defaultSources: SourcesChoice = 'human';

/**
 * The sources a page shows, read from its `?sources=`: the default for anything else, and on a project known to have
 * no judge (while its judges load, the address is taken at its word, so a shared link asks once, not twice).
 */
export function chosenSources(raw: string | null, hasJudges: boolean | undefined): SourcesChoice {
  if (hasJudges === false) return defaultSources;
  return sourceChoices.find((c) => c.value === raw)?.value ?? defaultSources;
}

/** `{sources}` for an API query when other than the default, else nothing (the request stays as it was before judges). */
export const sourcesQuery = (sources: SourcesChoice | undefined): { sources?: SourcesChoice } => (sources === undefined || sources === defaultSources ? {} : { sources });

/** Whether the chosen sources take in judges, or labelers: what a page's columns and hints follow. */
export const includesSource = (sources: SourcesChoice, source: RankingSource): boolean => sources.split(',').includes(source);

import { useQuery } from '@tanstack/react-query';
import { judgesOptions } from '../api/judge-queries.ts';
import { chosenSources, defaultSources, sourceChoices, type SourcesChoice } from './source-choice.ts';
import { useViewParam, ViewSelect } from './view-select.tsx';

/** Whether the project has an AI judge: undefined while the list loads. Only then is there a choice of sources. */
export function useHasJudges(projectId: number): boolean | undefined {
  return useQuery({ ...judgesOptions(projectId), select: (judges) => judges.length > 0 }).data;
}

/** The page's sources as `?sources=` carries them, beside the criterion. */
export function useSourcesParam(projectId: number): [SourcesChoice, (next: string) => void, boolean | undefined] {
  const hasJudges = useHasJudges(projectId);
  const [raw, choose] = useViewParam('sources', defaultSources);
  return [chosenSources(raw, hasJudges), choose, hasJudges];
}

/** Whose rankings a page counts; nothing on a project without a judge, where only the labelers' exist. */
export function SourcesSelect({ hasJudges, value, onChange }: { hasJudges: boolean | undefined; value: SourcesChoice; onChange: (next: string) => void }) {
  if (!hasJudges) return null;
  return <ViewSelect label="Rankings from" name="sources" options={sourceChoices} value={value} onChange={onChange} />;
}

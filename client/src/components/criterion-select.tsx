import type { Criterion } from '../../../shared/criteria.ts';
import { chosenCriterion, combinedCriterion } from './criterion-choice.ts';
import { useViewParam, ViewSelect } from './view-select.tsx';

/** The page's criterion as `?criterion=` carries it; undefined for the first (the API's default). */
export function useCriterionParam(criteria: readonly Criterion[] | undefined, allowCombined: boolean): [string | undefined, (next: string) => void] {
  const [raw, choose] = useViewParam('criterion', criteria?.[0]?.key);
  return [chosenCriterion(raw, criteria, allowCombined), choose];
}

/** Which criterion a page's figures are about; nothing on a project with one criterion. */
export function CriterionSelect({
  criteria,
  value,
  onChange,
  allowCombined,
}: {
  criteria: readonly Criterion[] | undefined;
  value: string | undefined;
  onChange: (next: string) => void;
  allowCombined: boolean;
}) {
  if (!criteria || criteria.length < 2) return null;
  const options = [...criteria.map((c) => ({ value: c.key, label: c.name })), ...(allowCombined ? [{ value: combinedCriterion, label: 'Combined (weighted)' }] : [])];
  return <ViewSelect label="Criterion" name="criterion" options={options} value={value ?? criteria[0]?.key ?? ''} onChange={onChange} />;
}

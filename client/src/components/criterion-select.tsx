import { useSearchParams } from 'wouter';
import type { Criterion } from '../../../shared/criteria.ts';
import { chosenCriterion, combinedCriterion } from './criterion-choice.ts';

/**
 * The page's criterion as `?criterion=` carries it, so a reload or a shared link shows the same view. Choosing one
 * starts the page's list again from its first page.
 */
export function useCriterionParam(criteria: readonly Criterion[] | undefined, allowCombined: boolean): [string | undefined, (next: string) => void] {
  const [params, setParams] = useSearchParams();
  const chosen = chosenCriterion(params.get('criterion'), criteria, allowCombined);
  const choose = (next: string) => {
    const p = new URLSearchParams(params);
    p.delete('page');
    if (criteria?.[0]?.key === next) p.delete('criterion');
    else p.set('criterion', next);
    setParams(p);
  };
  return [chosen, choose];
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
  return (
    <label className="inline criterion-select">
      Criterion
      <select name="criterion" value={value ?? criteria[0]?.key} onChange={(e) => onChange(e.target.value)}>
        {criteria.map((c) => (
          <option key={c.key} value={c.key}>
            {c.name}
          </option>
        ))}
        {allowCombined && <option value={combinedCriterion}>Combined (weighted)</option>}
      </select>
    </label>
  );
}

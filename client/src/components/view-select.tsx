import { useSearchParams } from 'wouter';

/**
 * One setting of what a lead's page shows, as its URL query carries it (`?criterion=`, `?sources=`), so a reload or a
 * shared link shows the same view. The default is left out of the address; choosing starts the page's list again
 * from its first page.
 */
export function useViewParam(name: string, defaultValue: string | undefined): [string | null, (next: string) => void] {
  const [params, setParams] = useSearchParams();
  const choose = (next: string) => {
    const p = new URLSearchParams(params);
    p.delete('page');
    if (next === defaultValue) p.delete(name);
    else p.set(name, next);
    setParams(p);
  };
  return [params.get(name), choose];
}

export type ViewOption = { readonly value: string; readonly label: string };

/** A labelled select of one view setting, the same look and keyboard on every page (a native select: arrows, type-ahead). */
export function ViewSelect({ label, name, options, value, onChange }: { label: string; name: string; options: readonly ViewOption[]; value: string; onChange: (next: string) => void }) {
  return (
    <label className="inline view-select">
      {label}
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

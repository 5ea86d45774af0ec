import { keyLegend } from './key-map.ts';

/** Always on screen: a labeler should never have to remember a key. */
export function KeyLegend({ responses, allowTies, criteria }: { responses: number; allowTies: boolean; criteria: number }) {
  return (
    <aside className="key-legend" aria-label="Keyboard shortcuts">
      {keyLegend(responses, allowTies, criteria).map((item) => (
        <span key={item.does} className="key-legend-item" title={item.more}>
          {item.keys.map((k) => (
            <kbd key={k}>{k}</kbd>
          ))}{' '}
          {item.does}
        </span>
      ))}
    </aside>
  );
}

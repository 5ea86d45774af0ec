import { useState } from 'react';
import { keyLegend } from './key-map.ts';
import { keepFocus } from './keep-focus.ts';

/**
 * Always on screen: a labeler should never have to remember a key. On a narrow window it wraps to several lines, a
 * quarter of a phone-sized screen, so there it shows one line and opens to every key on request.
 */
export function KeyLegend({ responses, allowTies, criteria }: { responses: number; allowTies: boolean; criteria: number }) {
  const [open, setOpen] = useState(false);
  return (
    <aside className={open ? 'key-legend is-open' : 'key-legend'} aria-label="Keyboard shortcuts">
      <div className="key-legend-items" id="key-legend-items">
        {keyLegend(responses, allowTies, criteria).map((item) => (
          <span key={item.does} className="key-legend-item" title={item.more}>
            {item.keys.map((k) => (
              <kbd key={k}>{k}</kbd>
            ))}{' '}
            {item.does}
          </span>
        ))}
      </div>
      <button type="button" className="link-button key-legend-toggle" aria-expanded={open} aria-controls="key-legend-items" onMouseDown={keepFocus} onClick={() => setOpen((o) => !o)}>
        {open ? 'Fewer keys' : 'All keys'}
      </button>
    </aside>
  );
}

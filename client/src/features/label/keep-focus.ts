import type { MouseEvent } from 'react';

// A click on the ranking page's buttons leaves the focus on the chosen card, so the keys go on working.
export const keepFocus = (e: MouseEvent) => e.preventDefault();

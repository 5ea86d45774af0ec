import { memo, useEffect, useId, useMemo, useSyncExternalStore } from 'react';
import { parseMarkdown, renderMarkdown, type Highlighter } from './markdown-elements.ts';

/*
 * Highlighting is as heavy as the markdown parser, so it arrives in its own chunk the first time a
 * text has a fenced block: code shows plain for that first moment, then highlighted, and every later
 * text is highlighted from the start.
 */
let highlighter: Highlighter | null = null;
let highlightLoad: Promise<void> | null = null;
const highlightListeners = new Set<() => void>();

function loadHighlight(): void {
  highlightLoad ??= import('./code-highlight.ts')
    .then(({ highlightCode }) => {
      highlighter = highlightCode;
      for (const listener of highlightListeners) listener();
    })
    .catch(() => {
      // Plain code blocks are still readable; the next page load tries again.
    });
}

function subscribeHighlight(listener: () => void) {
  highlightListeners.add(listener);
  return () => highlightListeners.delete(listener);
}

const fence = /^ {0,3}(```|~~~)/m;

function useHighlighter(text: string): Highlighter | null {
  const current = useSyncExternalStore(subscribeHighlight, () => highlighter);
  const hasCode = fence.test(text);
  useEffect(() => {
    if (hasCode) loadHighlight();
  }, [hasCode]);
  return current;
}

/** Untrusted markdown (model output, prompts, guidelines) as elements only; see markdown-elements.ts. */
export const Markdown = memo(function Markdown({ text, className }: { text: string; className?: string }) {
  const highlight = useHighlighter(text);
  // Footnote anchors must be unique on a page that shows several answers; useId's colons are not welcome in a URL fragment.
  const idPrefix = `md${useId().replace(/[^\w-]/g, '')}-`;
  const tree = useMemo(() => parseMarkdown(text), [text]);
  const content = useMemo(() => renderMarkdown(tree, { highlight, idPrefix }), [tree, highlight, idPrefix]);
  return <div className={className ? `markdown ${className}` : 'markdown'}>{content}</div>;
});

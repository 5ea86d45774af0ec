import { memo, useEffect, useSyncExternalStore } from 'react';
import ReactMarkdown, { defaultUrlTransform, type Components, type Options } from 'react-markdown';
import remarkGfm from 'remark-gfm';

// Browsers drop tabs, newlines and control characters inside a scheme ("java\tscript:"), so we do too before looking at it.
const scriptScheme = /^(javascript|vbscript|data|file):/i;

/**
 * Model output and prompts are untrusted: a URL survives only if it is relative or http(s), mailto…
 * (react-markdown's own list) and never a script or data URL, however it is disguised.
 */
export function safeUrl(url: string): string | null {
  const squeezed = url.replace(/[\u0000-\u0020\u007f]+/g, '');
  if (scriptScheme.test(squeezed)) return null;
  return defaultUrlTransform(url) || null;
}

const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <span className="md-dropped-link">{children}</span>
    ),
  // Loading a remote image would tell its host who is labeling and when; show where it points instead.
  img: ({ src, alt }) => {
    const label = alt ? `image: ${alt}` : 'image';
    return typeof src === 'string' && src ? (
      <a className="md-image" href={src} target="_blank" rel="noopener noreferrer nofollow" title={src}>
        [{label}]
      </a>
    ) : (
      <span className="md-image">[{label}]</span>
    );
  },
};

const remarkPlugins: Options['remarkPlugins'] = [remarkGfm];

/*
 * Highlighting (highlight.js's common grammars) is half the weight of the ranking page's script, so it
 * arrives in its own chunk the first time a text has a fenced block: code shows plain for that first
 * moment, then highlighted, and every later text is highlighted from the start.
 */
let rehypePlugins: Options['rehypePlugins'] = [];
let highlightLoad: Promise<void> | null = null;
const highlightListeners = new Set<() => void>();

function loadHighlight(): void {
  highlightLoad ??= import('rehype-highlight')
    .then(({ default: rehypeHighlight }) => {
      // Built once and shared: react-markdown builds a new processor per render, and rehype-highlight
      // registers (and later recompiles) every grammar each time it is set up.
      // Only fenced blocks that name their language are highlighted: guessing costs time on every render.
      const highlight = rehypeHighlight({ detect: false });
      rehypePlugins = [() => highlight];
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

function useRehypePlugins(text: string): Options['rehypePlugins'] {
  const plugins = useSyncExternalStore(subscribeHighlight, () => rehypePlugins);
  const hasCode = fence.test(text);
  useEffect(() => {
    if (hasCode) loadHighlight();
  }, [hasCode]);
  return plugins;
}

/**
 * Markdown as text and elements only. Raw HTML in the source is shown as the literal text the model
 * wrote (react-markdown turns it into text when skipHtml is off and no rehype-raw is used): a labeler
 * judging an answer must see the `<script>` it contains, and the browser must never run it.
 */
export const Markdown = memo(function Markdown({ text, className }: { text: string; className?: string }) {
  const rehypePlugins = useRehypePlugins(text);
  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} urlTransform={safeUrl} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});

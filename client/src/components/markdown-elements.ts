import { createElement as h, Fragment, type Key, type ReactNode } from 'react';
import type { Code, Definition, FootnoteDefinition, FootnoteReference, List, ListItem, Nodes, Parents, Root, Table, TableRow } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfm } from 'micromark-extension-gfm';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { safeUrl } from './safe-url.ts';

/*
 * Model output rendered as React elements straight from the markdown syntax tree: no HTML string is
 * ever built or parsed, so the page can only contain the elements this file creates. Raw HTML in the
 * source is shown as the text the model wrote (a labeler judging an answer must see its `<script>`),
 * every URL goes through safeUrl, and images are links to where they point (loading a remote image
 * would tell its host who is labeling and when).
 */

/** Code of a fenced block as highlighted elements, or null to show it plain. */
export type Highlighter = (code: string, language: string) => ReactNode[] | null;

// CommonMark plus GitHub's tables, strikethrough, task lists, autolinks and footnotes; built once, reused by every parse.
const syntax = { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] };

// A line opening more containers than this is shown as written: micromark's cost grows with the square of a line's
// nesting (5,000 ">" took 10 s, 3,000 "- " 22 s), which would freeze the labeler's tab.
const maxContainersPerLine = 128;

export function parseMarkdown(text: string): Root {
  const asWritten: Root = { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: text }] }] };
  if (opensTooManyContainers(text)) return asWritten;
  try {
    return fromMarkdown(text, syntax);
  } catch {
    // The GFM transforms recurse over the tree, so deeply nested list markers can exhaust the stack: the text is
    // then shown as written, so the task stays on screen and can still be judged.
    return asWritten;
  }
}

/** Whether some line starts with more block quote or list markers than `maxContainersPerLine`, in one linear scan. */
function opensTooManyContainers(text: string): boolean {
  let depth = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      depth = 0;
      atLineStart = true;
    } else if (!atLineStart || c === 32 || c === 9) {
      continue;
    } else if (c === 62 /* > */) {
      depth++;
    } else if ((c === 45 || c === 42 || c === 43) /* - * + */ && (text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 9)) {
      depth++;
      i++;
    } else if (c >= 48 && c <= 57) {
      let j = i;
      while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const mark = text.charCodeAt(j);
      if ((mark === 46 || mark === 41) /* . ) */ && text.charCodeAt(j + 1) === 32) {
        depth++;
        i = j + 1;
      } else atLineStart = false;
    } else atLineStart = false;
    if (depth > maxContainersPerLine) return true;
  }
  return false;
}

type State = {
  definitions: Map<string, Definition>;
  notes: Map<string, FootnoteDefinition>;
  /** Footnote identifiers in the order of their first reference: a note's number is its index + 1. */
  noteOrder: string[];
  highlight: Highlighter | null;
  /** Keeps footnote anchors of several texts on one page apart. */
  idPrefix: string;
  /** How many containers deep the renderer is. */
  depth: number;
};

// Nesting past this shows as plain text: a few KB of ">" would otherwise recurse past the stack and blank the page.
const maxDepth = 64;

export function renderMarkdown(tree: Root, options: { highlight: Highlighter | null; idPrefix: string }): ReactNode {
  const state: State = { definitions: new Map(), notes: new Map(), noteOrder: [], depth: 0, ...options };
  collectDefinitions(tree, state);
  const body = children(state, tree);
  return h(Fragment, null, body, footnotes(state));
}

// A reference may come before its definition; the first definition of a label wins (CommonMark). A stack, not
// recursion, for the same reason as maxDepth.
function collectDefinitions(tree: Root, state: State): void {
  const stack: Nodes[] = [tree];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'definition' && !state.definitions.has(node.identifier)) state.definitions.set(node.identifier, node);
    if (node.type === 'footnoteDefinition' && !state.notes.has(node.identifier)) state.notes.set(node.identifier, node);
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
}

function children(state: State, parent: Parents): ReactNode[] {
  if (state.depth >= maxDepth) return [plainText(parent)];
  state.depth++;
  try {
    return parent.children.map((child, i) => render(state, child, i));
  } finally {
    state.depth--;
  }
}

/** The text a node holds, in document order, without its structure. */
function plainText(node: Nodes): string {
  let text = '';
  const stack: Nodes[] = [node];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if ('value' in n && typeof n.value === 'string') text += n.value + (n.type === 'code' ? '\n' : '');
    else if (n.type === 'break' || n.type === 'paragraph') text += ' ';
    if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Nodes);
  }
  return text;
}

function render(state: State, node: Nodes, key: Key): ReactNode {
  switch (node.type) {
    case 'text':
    case 'html':
      return lines(node.value, key);
    case 'paragraph':
      return h('p', { key }, children(state, node));
    case 'heading':
      return h(`h${node.depth}`, { key }, children(state, node));
    case 'emphasis':
      return h('em', { key }, children(state, node));
    case 'strong':
      return h('strong', { key }, children(state, node));
    case 'delete':
      return h('del', { key }, children(state, node));
    case 'inlineCode':
      return h('code', { key }, node.value);
    case 'break':
      return h('br', { key });
    case 'thematicBreak':
      return h('hr', { key });
    case 'blockquote':
      return h('blockquote', { key }, children(state, node));
    case 'link':
      return link(node.url, children(state, node), key);
    case 'linkReference': {
      const definition = state.definitions.get(node.identifier);
      return definition ? link(definition.url, children(state, node), key) : h(Fragment, { key }, '[', children(state, node), ']');
    }
    case 'image':
      return image(node.url, node.alt, key);
    case 'imageReference':
      return image(state.definitions.get(node.identifier)?.url ?? '', node.alt, key);
    case 'code':
      return code(state, node, key);
    case 'list':
      return list(state, node, key);
    case 'table':
      return table(state, node, key);
    case 'footnoteReference':
      return footnoteReference(state, node, key);
    case 'definition':
    case 'footnoteDefinition':
      return null;
    default:
      // Nodes only found inside the ones above (list items, rows, cells), or from syntax we do not enable.
      return 'children' in node ? h(Fragment, { key }, children(state, node)) : null;
  }
}

/**
 * A line break inside a paragraph stays a line break, as GitHub shows comments: in model output (a letter's
 * header, a poem, few-shot examples one per line) the lines are part of what a labeler judges.
 */
function lines(value: string, key: Key): ReactNode {
  if (!value.includes('\n')) return value;
  const parts = value.split(/\r?\n/);
  return h(Fragment, { key }, parts.flatMap((part, i) => (i === 0 ? [part] : [h('br', { key: i }), part])));
}

function link(url: string, content: ReactNode[], key: Key): ReactNode {
  const href = safeUrl(url);
  return href ? h('a', { key, href, target: '_blank', rel: 'noopener noreferrer nofollow' }, content) : h('span', { key, className: 'md-dropped-link' }, content);
}

function image(url: string, alt: string | null | undefined, key: Key): ReactNode {
  const label = `[${alt ? `image: ${alt}` : 'image'}]`;
  const href = url ? safeUrl(url) : null;
  return href ? h('a', { key, className: 'md-image', href, target: '_blank', rel: 'noopener noreferrer nofollow', title: href }, label) : h('span', { key, className: 'md-image' }, label);
}

function code(state: State, node: Code, key: Key): ReactNode {
  const text = node.value ? `${node.value}\n` : '';
  const highlighted = node.lang && state.highlight ? state.highlight(text, node.lang) : null;
  const classes = [highlighted ? 'hljs' : '', node.lang ? `language-${node.lang}` : ''].filter(Boolean).join(' ');
  return h('pre', { key }, h('code', { className: classes || undefined }, highlighted ?? text));
}

// A list is loose (paragraphs keep their <p>) when any item is separated by a blank line or holds several blocks.
const itemLoose = (item: ListItem) => item.spread ?? item.children.length > 1;

function list(state: State, node: List, key: Key): ReactNode {
  const loose = Boolean(node.spread) || node.children.some(itemLoose);
  const items = node.children.map((item, i) => listItem(state, item, i, loose));
  const className = node.children.some((item) => typeof item.checked === 'boolean') ? 'contains-task-list' : undefined;
  if (!node.ordered) return h('ul', { key, className }, items);
  return h('ol', { key, className, start: typeof node.start === 'number' && node.start !== 1 ? node.start : undefined }, items);
}

function listItem(state: State, item: ListItem, key: Key, loose: boolean): ReactNode {
  const box = typeof item.checked === 'boolean' ? h('input', { key: 'box', type: 'checkbox', checked: item.checked, disabled: true }) : null;
  const content = item.children.map((child, i) => {
    const lead = i === 0 && box ? [box, ' '] : [];
    if (child.type !== 'paragraph') return h(Fragment, { key: i }, lead, render(state, child, 'block'));
    // In a tight list an item's paragraph is just its text.
    return h(loose ? 'p' : Fragment, { key: i }, lead, children(state, child));
  });
  return h('li', { key, className: box ? 'task-list-item' : undefined }, item.children.length ? content : box);
}

function table(state: State, node: Table, key: Key): ReactNode {
  const align = node.align ?? [];
  const row = (tr: TableRow, i: number, cell: 'th' | 'td') =>
    h(
      'tr',
      { key: i },
      // Every row has as many cells as the header: missing ones are empty, extra ones dropped (GFM).
      Array.from({ length: align.length || tr.children.length }, (_, c) => {
        const td = tr.children[c];
        const textAlign = align[c] ?? undefined;
        return h(cell, { key: c, style: textAlign ? { textAlign } : undefined }, td ? children(state, td) : null);
      }),
    );
  const [head, ...body] = node.children;
  return h('table', { key }, head ? h('thead', null, row(head, 0, 'th')) : null, body.length ? h('tbody', null, body.map((tr, i) => row(tr, i, 'td'))) : null);
}

function footnoteReference(state: State, node: FootnoteReference, key: Key): ReactNode {
  const known = state.noteOrder.indexOf(node.identifier) + 1;
  const n = known || state.noteOrder.push(node.identifier);
  // Only the first reference is the target of the note's way back.
  return h('sup', { key }, h('a', { href: `#${state.idPrefix}fn-${n}`, id: known ? undefined : `${state.idPrefix}fnref-${n}`, 'data-footnote-ref': true }, n));
}

/** The notes that were referenced, numbered in order of first reference, each with a link back. */
function footnotes(state: State): ReactNode {
  if (state.noteOrder.length === 0) return null;
  const items: ReactNode[] = [];
  // A note may itself reference a note not seen yet, which then joins the end of the list.
  for (let i = 0; i < state.noteOrder.length; i++) {
    const n = i + 1;
    const blocks = state.notes.get(state.noteOrder[i] ?? '')?.children ?? [];
    const back = h('a', { key: 'back', href: `#${state.idPrefix}fnref-${n}`, 'aria-label': `Back to reference ${n}`, className: 'footnote-back' }, '↩');
    // The way back ends the note's last line rather than taking a line of its own.
    const last = blocks.at(-1);
    const endsInParagraph = last?.type === 'paragraph';
    const content = blocks.slice(0, endsInParagraph ? -1 : undefined).map((block, j) => render(state, block, j));
    items.push(h('li', { key: n, id: `${state.idPrefix}fn-${n}` }, content, endsInParagraph ? h('p', { key: 'last' }, children(state, last), ' ', back) : back));
  }
  return h('section', { key: 'footnotes', className: 'footnotes', 'aria-label': 'Footnotes' }, h('ol', null, items));
}

import { createElement, type ReactNode } from 'react';
import type { RootContent } from 'hast';
import { createLowlight } from 'lowlight';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import pythonRepl from 'highlight.js/lib/languages/python-repl';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

/*
 * The languages SFT answers are mostly written in. lowlight's `common` set (37 grammars) weighed as
 * much as all the rest of the ranking page's libraries together; a block in any other language stays
 * plain code. The usual short names (js, ts, tsx, py, sh, html, yml, toml, …) come with the grammars.
 */
const lowlight = createLowlight({ bash, c, cpp, css, diff, go, ini, java, javascript, json, markdown, python, 'python-repl': pythonRepl, rust, shell, sql, typescript, xml, yaml });

/** A fenced block's code as highlight.js token spans (`hljs-keyword`, …), or null when its language is not one we highlight. */
export function highlightCode(code: string, language: string): ReactNode[] | null {
  if (!lowlight.registered(language)) return null;
  return tokens(lowlight.highlight(language, code).children);
}

// lowlight's tree holds only text and <span class="hljs-…"> elements; React escapes every text.
function tokens(nodes: RootContent[]): ReactNode[] {
  return nodes.map((node, i) => {
    if (node.type === 'text') return node.value;
    if (node.type !== 'element') return null;
    const { className } = node.properties;
    return createElement('span', { key: i, className: Array.isArray(className) ? className.join(' ') : undefined }, tokens(node.children));
  });
}

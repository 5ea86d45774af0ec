import { describe, expect, it } from 'vitest';
import { createElement, Fragment } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { parseMarkdown, renderMarkdown, type Highlighter } from '../../../client/src/components/markdown-elements.ts';
import { safeUrl } from '../../../client/src/components/safe-url.ts';

const html = (markdown: string, highlight: Highlighter | null = null) =>
  renderToStaticMarkup(createElement(Fragment, null, renderMarkdown(parseMarkdown(markdown), { highlight, idPrefix: 'm-' })));

// Expected markup is what react-markdown 10 + remark-gfm 4 rendered for the same text (less whitespace between blocks), footnotes aside.
describe('markdown rendered as elements', () => {
  it('renders CommonMark blocks and inlines', () => {
    expect(html('# Title\n\nSome *em*, **strong** and `code`  \nnext line\n\n> quoted\n\n---')).toBe(
      '<h1>Title</h1><p>Some <em>em</em>, <strong>strong</strong> and <code>code</code><br/>next line</p><blockquote><p>quoted</p></blockquote><hr/>',
    );
  });

  it('keeps single line breaks inside a paragraph, as GitHub shows comments (a letter, a poem, few-shot lines)', () => {
    expect(html('From: Ana\nSubject: Lunch\n\nBest,\nAna')).toBe('<p>From: Ana<br/>Subject: Lunch</p><p>Best,<br/>Ana</p>');
    expect(html('Great film → Positive\nDull plot → *Negative*')).toBe('<p>Great film → Positive<br/>Dull plot → <em>Negative</em></p>');
    // Inside code the text stays as written.
    expect(html('`a` and\n```\nx\ny\n```')).toBe('<p><code>a</code> and</p><pre><code>x\ny\n</code></pre>');
  });

  it('shows nesting deeper than 64 levels as plain text instead of running out of stack', () => {
    const deep = html(`${'>'.repeat(100)} deep *text*`);
    expect(deep.startsWith('<blockquote><blockquote>')).toBe(true);
    expect(deep).toContain('deep text');
    expect((deep.match(/<blockquote>/g) ?? []).length).toBe(64);
    // Thousands of markers on one line would take the parser seconds (its cost grows with the square of the
    // nesting), so such a text shows as written without being parsed.
    expect(html(`${'>'.repeat(5000)} x`)).toBe(`<p>${'&gt;'.repeat(5000)} x</p>`);
    expect(html(`${'- '.repeat(3000)}x`)).toBe(`<p>${'- '.repeat(3000)}x</p>`);
    const lists = html(`text\n${'1. '.repeat(200)}x`);
    expect(lists.startsWith('<p>text')).toBe(true);
    expect(lists).not.toContain('<ol');
  });

  it('keeps tight list items free of paragraphs and loose ones in paragraphs, and an ordered list its start', () => {
    expect(html('- a\n- b\n  - nested')).toBe('<ul><li>a</li><li>b<ul><li>nested</li></ul></li></ul>');
    expect(html('- a\n\n- b')).toBe('<ul><li><p>a</p></li><li><p>b</p></li></ul>');
    expect(html('5. five\n6. six')).toBe('<ol start="5"><li>five</li><li>six</li></ol>');
  });

  it('renders GitHub tables, task lists, strikethrough and bare links', () => {
    expect(html('| a | b |\n|:--|--:|\n| 1 |\n| 2 | 3 | 4 |')).toBe(
      '<table><thead><tr><th style="text-align:left">a</th><th style="text-align:right">b</th></tr></thead>' +
        '<tbody><tr><td style="text-align:left">1</td><td style="text-align:right"></td></tr><tr><td style="text-align:left">2</td><td style="text-align:right">3</td></tr></tbody></table>',
    );
    expect(html('- [ ] todo\n- [x] done')).toBe(
      '<ul class="contains-task-list"><li class="task-list-item"><input type="checkbox" disabled=""/> todo</li><li class="task-list-item"><input type="checkbox" disabled="" checked=""/> done</li></ul>',
    );
    expect(html('~~gone~~ see www.example.com')).toBe(
      '<p><del>gone</del> see <a href="http://www.example.com" target="_blank" rel="noopener noreferrer nofollow">www.example.com</a></p>',
    );
  });

  it('numbers footnotes by first reference, with a way back from each', () => {
    expect(html('A[^x] and B[^1] and A[^x].\n\n[^1]: One.\n[^x]: Ex.')).toBe(
      '<p>A<sup><a href="#m-fn-1" id="m-fnref-1" data-footnote-ref="true">1</a></sup> and B<sup><a href="#m-fn-2" id="m-fnref-2" data-footnote-ref="true">2</a></sup>' +
        ' and A<sup><a href="#m-fn-1" data-footnote-ref="true">1</a></sup>.</p>' +
        '<section class="footnotes" aria-label="Footnotes"><ol>' +
        '<li id="m-fn-1"><p>Ex. <a href="#m-fnref-1" aria-label="Back to reference 1" class="footnote-back">↩</a></p></li>' +
        '<li id="m-fn-2"><p>One. <a href="#m-fnref-2" aria-label="Back to reference 2" class="footnote-back">↩</a></p></li></ol></section>',
    );
  });

  it('decodes entities and shows raw HTML as the text it is', () => {
    expect(html('&amp; &copy; &#x41;')).toBe('<p>&amp; © A</p>');
    expect(html('<script>alert(1)</script>\n\ninline <b onclick="x()">b</b>')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;<p>inline &lt;b onclick=&quot;x()&quot;&gt;b&lt;/b&gt;</p>',
    );
  });

  it('drops script and data links however they are written, and turns images into links', () => {
    const out = html(
      '[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](java&#x09;script:alert(1)) [d](data:text/html,x) [e][evil] <vbscript:x>\n\n[evil]: javascript:alert(1)',
    );
    expect(out).not.toMatch(/href=/);
    expect(out.match(/md-dropped-link/g)).toHaveLength(6);
    expect(html('![pixel](http://tracker.example/p.png) ![](javascript:x)')).toBe(
      '<p><a class="md-image" href="http://tracker.example/p.png" target="_blank" rel="noopener noreferrer nofollow" title="http://tracker.example/p.png">[image: pixel]</a> <span class="md-image">[image]</span></p>',
    );
  });

  it('hands fenced code to the highlighter and shows it plain when there is none or it declines', () => {
    const highlight: Highlighter = (code, language) => (language === 'py' ? [createElement('span', { key: 0, className: 'hljs-string' }, code)] : null);
    expect(html('```py\nx\n```', highlight)).toBe('<pre><code class="hljs language-py"><span class="hljs-string">x\n</span></code></pre>');
    expect(html('```cobol\nx\n```', highlight)).toBe('<pre><code class="language-cobol">x\n</code></pre>');
    expect(html('```\n<b>x</b>\n```', highlight)).toBe('<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>');
  });
});

describe('safeUrl', () => {
  it.each([
    ['https://example.org/a?b#c', true],
    ['mailto:me@example.org', true],
    ['/projects/1', true],
    ['docs/a:b', true],
    ['#top', true],
    ['javascript:alert(1)', false],
    [' JaVaScRiPt:alert(1)', false],
    ['java\tscript:alert(1)', false],
    ['java\nscript:alert(1)', false],
    ['data:text/html,<script>', false],
    ['vbscript:x', false],
    ['file:///etc/passwd', false],
  ])('%j allowed: %s', (url, allowed) => {
    expect(safeUrl(url) !== null).toBe(allowed);
  });
});

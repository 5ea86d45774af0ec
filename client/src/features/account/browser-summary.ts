// Most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari".
const browsers: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/OPR\/(\d+)/, 'Opera'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/FxiOS\/(\d+)/, 'Firefox'],
  [/HeadlessChrome\/(\d+)/, 'Headless Chrome'],
  [/(?:Chrome|CriOS)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];

// iPhone and Android user agents also mention "Mac OS X" and "Linux", so they are looked for first.
const systems: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/**
 * "Chrome 131 on Windows" from a User-Agent header, so a session reads at a glance; anything unrecognised
 * (curl, a script) is shown by its product token, and the full header stays available as a tooltip.
 */
export function browserSummary(userAgent: string | null): string {
  if (!userAgent?.trim()) return 'Unknown browser';
  const ua = userAgent.trim();
  const system = systems.find(([pattern]) => pattern.test(ua))?.[1];
  for (const [pattern, name] of browsers) {
    const match = pattern.exec(ua);
    if (match) return `${name} ${match[1]}${system ? ` on ${system}` : ''}`;
  }
  const product = /^[^\s/(]+(?:\/[^\s(]+)?/.exec(ua)?.[0] ?? ua;
  return product.length > 40 ? `${product.slice(0, 39)}…` : product;
}

// Schemes a link in model output may use; anything else (javascript:, vbscript:, data:, file:, …) is dropped.
const allowedScheme = /^(https?|ircs?|mailto|xmpp)$/i;

/**
 * Model output and prompts are untrusted: a URL survives only if it is relative or its scheme is one
 * of the allowed few, however it is disguised. Browsers drop tabs, newlines and other control
 * characters inside a scheme ("java\tscript:"), so we do too before looking at it.
 */
export function safeUrl(url: string): string | null {
  const squeezed = url.replace(/[\u0000-\u0020\u007f]+/g, '');
  const colon = squeezed.indexOf(':');
  // A colon after a '/', '?' or '#' belongs to the path, query or fragment of a relative URL.
  if (colon === -1 || /[/?#]/.test(squeezed.slice(0, colon))) return url;
  return allowedScheme.test(squeezed.slice(0, colon)) ? url : null;
}

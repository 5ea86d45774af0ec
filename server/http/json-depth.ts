/** No request body of ours nests deeper than this; a deeper one is an attack on whatever walks it recursively. */
export const maxJsonDepth = 64;

/**
 * Whether JSON text opens more than `max` arrays/objects inside each other, brackets inside strings not counted.
 * One pass over the characters, no parse: it runs before JSON.parse so nothing recursive ever sees such a value.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  // Each level needs its own opening bracket, so a short text cannot be too deep.
  if (text.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: the next character is escaped
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return false;
}

import { z } from 'zod';

// Decimal digits only, no sign, no leading zero, at most 15 digits (exact in a double): `0x1`, `1e3`, ` 1` and `01`
// are not ids, so two spellings never name one row.
const idPattern = /^[1-9]\d{0,14}$/;

/** A row id from a path segment; null when the text is not one canonical positive id. */
export function parseId(raw: string | undefined): number | null {
  return raw !== undefined && idPattern.test(raw) ? Number(raw) : null;
}

/** The same rule as a zod schema for path params (the validator's 400 lists it as an issue). */
export const idSchema = z.string().regex(idPattern, 'an id is a positive whole number written in digits').transform(Number);

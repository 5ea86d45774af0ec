import { z } from 'zod';
import { skipReasonNames } from './export-skip-reasons.ts';

/** Why an export left a prompt or a pair out (see export-skip-reasons.ts, which the client reads without zod). */
export const skipReasonSchema = z.enum(skipReasonNames);
export type SkipReason = z.infer<typeof skipReasonSchema>;

/** `skipped: {reason: count}` in the export summary and manifest; a reason with nothing left out is absent. */
export const skippedCountsSchema = z.partialRecord(skipReasonSchema, z.number().int().nonnegative());
export type SkippedCounts = z.infer<typeof skippedCountsSchema>;


import { z } from 'zod';
import { idSchema, rankingSchema } from './ranking.ts';
import { chatMessageSchema } from './messages.ts';
import { criterionRankingsSchema, criterionSchema } from './criteria.ts';

export const flagSchema = z.enum(['harmful', 'factually-wrong', 'off-instruction']);
export type Flag = z.infer<typeof flagSchema>;

/** A labeler's judgement of one assignment: tiers best first, or "not rankable" with no tiers. */
export const submitSchema = z
  .object({
    /** Shorthand for a one-criterion project: the ranking of its only criterion. */
    ranking: rankingSchema.optional(),
    /** One ranking per criterion key of the project; every criterion is required. */
    rankings: criterionRankingsSchema.optional(),
    notRankable: z.boolean().default(false),
    flags: z.record(z.string(), z.array(flagSchema).max(3)).default({}),
    comment: z.string().max(5_000).default(''),
    durationMs: z.number().int().min(0).max(7 * 24 * 3600 * 1000).optional(),
  })
  .strict()
  .refine((s) => s.notRankable || s.ranking !== undefined || s.rankings !== undefined, { message: 'a ranking is required unless the task is marked not rankable', path: ['ranking'] })
  .refine((s) => s.ranking === undefined || s.rankings === undefined, { message: 'send either ranking or rankings, not both', path: ['rankings'] });
export type SubmitInput = z.input<typeof submitSchema>;

/** `next=1` on submit: also lease and return the labeler's next task (null when none is left). */
export const submitQuerySchema = z.object({ next: z.enum(['0', '1', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true') });

export const skipSchema = z.object({ reason: z.string().trim().min(1, 'say why you skip').max(1_000) }).strict();

export const responseIdSchema = idSchema;

/** A task as the labeler gets it: responses in this labeler's shuffled display order. */
export const assignmentViewSchema = z.object({
  id: z.number().int(),
  expiresAt: z.string(),
  prompt: z.object({ id: z.number().int(), externalId: z.string(), messages: z.array(chatMessageSchema), metadata: z.record(z.string(), z.unknown()) }),
  responses: z.array(z.object({ id: z.number().int(), text: z.string() })),
  allowTies: z.boolean(),
  /** What to rank by, in order: the labeler ranks the responses once per criterion. */
  criteria: z.array(criterionSchema),
});
export type AssignmentView = z.infer<typeof assignmentViewSchema>;

export const labelerCounterSchema = z.object({ doneToday: z.number().int(), done: z.number().int(), left: z.number().int() });
export type LabelerCounter = z.infer<typeof labelerCounterSchema>;

/** Submit's answer; `next` (the next task, null when none is left) only with `?next=1`. */
export const submitReplySchema = z.object({ ranking: z.object({ id: z.number().int() }), next: assignmentViewSchema.nullable().optional() });

import { z } from 'zod';
import { idSchema, rankingSchema } from './ranking.ts';
import type { ChatMessage } from './messages.ts';

export const flagSchema = z.enum(['harmful', 'factually-wrong', 'off-instruction']);
export type Flag = z.infer<typeof flagSchema>;

/** A labeler's judgement of one assignment: tiers best first, or "not rankable" with no tiers. */
export const submitSchema = z
  .object({
    ranking: rankingSchema.optional(),
    notRankable: z.boolean().default(false),
    flags: z.record(z.string(), z.array(flagSchema).max(3)).default({}),
    comment: z.string().max(5_000).default(''),
    durationMs: z.number().int().min(0).max(7 * 24 * 3600 * 1000).optional(),
  })
  .strict()
  .refine((s) => s.notRankable || s.ranking !== undefined, { message: 'a ranking is required unless the task is marked not rankable', path: ['ranking'] });
export type SubmitInput = z.input<typeof submitSchema>;

/** `next=1` on submit: also lease and return the labeler's next task (null when none is left). */
export const submitQuerySchema = z.object({ next: z.enum(['0', '1', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true') });

export const skipSchema = z.object({ reason: z.string().trim().min(1, 'say why you skip').max(1_000) }).strict();

export const responseIdSchema = idSchema;

export type AssignmentView = {
  id: number;
  expiresAt: string;
  prompt: { id: number; externalId: string; messages: ChatMessage[]; metadata: Record<string, unknown> };
  responses: { id: number; text: string }[];
  allowTies: boolean;
};

export type LabelerCounter = { doneToday: number; done: number; left: number };

import { z } from 'zod';
import { chatMessageSchema } from './messages.ts';

const responseEntrySchema = z.union([
  z.string().min(1, 'a response text is empty'),
  z.object({ text: z.string().min(1, 'a response text is empty'), model: z.string().min(1).max(200).optional() }),
]);

/** One line of an import file, as DESIGN.md gives it: a plain prompt or chat messages, optional responses and metadata. */
export const importLineSchema = z
  .object({
    id: z.union([z.string().trim().min(1).max(200), z.number().int()]).optional(),
    prompt: z.string().min(1, 'prompt is empty').optional(),
    messages: z
      .array(chatMessageSchema)
      .min(1, 'messages is empty')
      .refine((m) => m.some((x) => x.role === 'user'), 'messages needs at least one user turn')
      .refine((m) => m[m.length - 1]?.role !== 'assistant', 'the last message must not be the assistant: it is what the responses answer')
      .optional(),
    responses: z.array(responseEntrySchema).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((l) => (l.prompt === undefined) !== (l.messages === undefined), {
    message: 'a line needs exactly one of "prompt" or "messages"',
  });
export type ImportLine = z.infer<typeof importLineSchema>;

export type ImportLineError = { line: number; message: string };
export type ImportResult = { imported: number; skipped: { line: number; id: string }[]; responses: number };

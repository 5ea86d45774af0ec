import { z } from 'zod';

export const chatRoleSchema = z.enum(['system', 'user', 'assistant']);
export const chatMessageSchema = z.object({ role: chatRoleSchema, content: z.string() });
export type ChatMessage = z.infer<typeof chatMessageSchema>;

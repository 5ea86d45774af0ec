import { z } from 'zod';

export const roleSchema = z.enum(['admin', 'lead', 'labeler']);
export type Role = z.infer<typeof roleSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .min(2, 'a username has at least 2 characters')
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'a username uses letters, digits, _ . @ or -');

export const passwordSchema = z.string().min(8, 'a password has at least 8 characters').max(256);

export const loginSchema = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) });
export type LoginInput = z.infer<typeof loginSchema>;

export const createUserSchema = z.object({ username: usernameSchema, password: passwordSchema, role: roleSchema });
export type CreateUserInput = z.infer<typeof createUserSchema>;

export type User = { id: number; username: string; role: Role; disabled: boolean; createdAt: string };

import { z } from 'zod';
import { passwordSchema, roleSchema, usernameSchema, type Role } from './users.ts';

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: passwordSchema,
  // Whoever knew the old password may have made tokens with it; scripts that should keep working say false.
  revokeTokens: z.boolean().default(true),
});
export const resetPasswordSchema = z.object({ password: passwordSchema });
export const updateUserSchema = z
  .object({ disabled: z.boolean().optional(), role: roleSchema.optional() })
  .refine((v) => v.disabled !== undefined || v.role !== undefined, 'give disabled or role');

// Invites expire: a week at most, a day unless said otherwise.
export const inviteTtlSchema = z.number().int().min(1).max(24 * 7).default(24);
export const createInviteSchema = z.object({ role: roleSchema.default('labeler'), projectId: z.number().int().positive().optional(), expiresInHours: inviteTtlSchema });
export const createProjectInviteSchema = z.object({ expiresInHours: inviteTtlSchema });
export const acceptInviteSchema = z.object({ username: usernameSchema, password: passwordSchema });
export const createTokenSchema = z.object({ name: z.string().trim().min(1).max(100) });

export const auditQuerySchema = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  action: z.string().max(64).optional(),
  userId: z.coerce.number().int().positive().optional(),
});

export type InviteView = { id: number; role: Role; projectId: number | null; projectName: string | null; createdAt: string; expiresAt: string; usedAt: string | null };
export type SessionView = { id: number; createdAt: string; expiresAt: string; userAgent: string | null; address: string | null; current: boolean };
export type ApiTokenView = { id: number; name: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
export type AuditEntry = { id: number; at: string; userId: number | null; username: string | null; action: string; target: string | null; detail: unknown };

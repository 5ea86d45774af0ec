import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import type { Role } from '../../../shared/users.ts';

export const accountKeys = {
  all: ['account'] as const,
  sessions: () => [...accountKeys.all, 'sessions'] as const,
  tokens: () => [...accountKeys.all, 'tokens'] as const,
  invite: (token: string) => ['invite', token] as const,
  invites: () => ['invites'] as const,
  audit: () => ['audit'] as const,
  userTokens: (userId: number) => ['users', userId, 'tokens'] as const,
};

export const sessionsOptions = () => queryOptions({ queryKey: accountKeys.sessions(), queryFn: async () => (await unwrap(api.account.sessions.$get())).sessions });
export const tokensOptions = () => queryOptions({ queryKey: accountKeys.tokens(), queryFn: async () => (await unwrap(api.tokens.$get())).tokens });
export const inviteOptions = (token: string) =>
  queryOptions({ queryKey: accountKeys.invite(token), queryFn: async () => (await unwrap(api.invites[':token'].$get({ param: { token } }))).invite, retry: false });
export const pendingInvitesOptions = () => queryOptions({ queryKey: accountKeys.invites(), queryFn: async () => (await unwrap(api.invites.$get())).invites });
export const auditOptions = () => queryOptions({ queryKey: accountKeys.audit(), queryFn: () => unwrap(api.audit.$get({ query: { limit: '100' } })) });

export const changePassword = (currentPassword: string, newPassword: string, revokeTokens: boolean) =>
  unwrap(api.account.password.$post({ json: { currentPassword, newPassword, revokeTokens } }));
export const revokeSession = (id: number) => unwrap(api.account.sessions[':id'].$delete({ param: { id: String(id) } }));
export const createToken = (name: string) => unwrap(api.tokens.$post({ json: { name } }));
export const revokeToken = (id: number) => unwrap(api.tokens[':id'].$delete({ param: { id: String(id) } }));
export const acceptInvite = (token: string, username: string, password: string) =>
  unwrap(api.invites[':token'].accept.$post({ param: { token }, json: { username, password } }));

export const createInvite = (role: Role, expiresInHours: number, projectId?: number) =>
  unwrap(api.invites.$post({ json: { role, expiresInHours, ...(projectId === undefined ? {} : { projectId }) } }));
export const createProjectInvite = (projectId: number, expiresInHours: number) =>
  unwrap(api.projects[':id'].invites.$post({ param: { id: String(projectId) }, json: { expiresInHours } }));
export const updateUser = (id: number, change: { disabled?: boolean; role?: Role }) => unwrap(api.users[':id'].$patch({ param: { id: String(id) }, json: change }));
export const resetPassword = (id: number, password: string) => unwrap(api.users[':id'].password.$post({ param: { id: String(id) }, json: { password } }));
export const endUserSessions = (id: number) => unwrap(api.users[':id'].sessions.$delete({ param: { id: String(id) } }));
export const userTokensOptions = (userId: number) =>
  queryOptions({ queryKey: accountKeys.userTokens(userId), queryFn: async () => (await unwrap(api.users[':id'].tokens.$get({ param: { id: String(userId) } }))).tokens });
export const revokeUserToken = (userId: number, tokenId: number) =>
  unwrap(api.users[':id'].tokens[':tokenId'].$delete({ param: { id: String(userId), tokenId: String(tokenId) } }));

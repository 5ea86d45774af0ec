import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import { projectKeys } from './queries.ts';
import type { CreateWebhookInput, UpdateWebhookInput } from '../../../shared/webhooks.ts';

export const webhookKeys = {
  all: (projectId: number) => [...projectKeys.detail(projectId), 'webhooks'] as const,
  deliveries: (projectId: number, webhookId: number) => [...webhookKeys.all(projectId), webhookId, 'deliveries'] as const,
};

const param = (projectId: number) => ({ id: String(projectId) });
const hookParam = (projectId: number, webhookId: number) => ({ id: String(projectId), webhookId: String(webhookId) });

export const webhooksOptions = (projectId: number) =>
  queryOptions({ queryKey: webhookKeys.all(projectId), queryFn: async () => (await unwrap(api.projects[':id'].webhooks.$get({ param: param(projectId) }))).webhooks });

export const deliveriesOptions = (projectId: number, webhookId: number) =>
  queryOptions({
    queryKey: webhookKeys.deliveries(projectId, webhookId),
    queryFn: async () => (await unwrap(api.projects[':id'].webhooks[':webhookId'].deliveries.$get({ param: hookParam(projectId, webhookId), query: { limit: '20' } }))).deliveries,
  });

export const createWebhook = (projectId: number, input: CreateWebhookInput) => unwrap(api.projects[':id'].webhooks.$post({ param: param(projectId), json: input }));
export const updateWebhook = (projectId: number, webhookId: number, change: UpdateWebhookInput) =>
  unwrap(api.projects[':id'].webhooks[':webhookId'].$patch({ param: hookParam(projectId, webhookId), json: change }));
export const deleteWebhook = (projectId: number, webhookId: number) => unwrap(api.projects[':id'].webhooks[':webhookId'].$delete({ param: hookParam(projectId, webhookId) }));

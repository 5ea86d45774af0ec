import type { IncomingMessage } from 'node:http';
import type { Store } from '../store/store.ts';
import type { SessionUser } from '../store/sessions.ts';
import type { Project } from '../../shared/projects.ts';
import type { WebhookSettings } from '../webhooks/delivery-settings.ts';

export type AppEnv = {
  /** Node's request, when served by @hono/node-server (absent under app.request() in tests). */
  Bindings: { incoming?: IncomingMessage } | undefined;
  Variables: {
    store: Store;
    user: SessionUser;
    project: Project;
    /** How the caller proved who they are; set by the access check (server/auth/access.ts). */
    credential: { kind: 'session'; tokenHash: string } | { kind: 'token'; tokenId: number };
    /** Access levels already checked for this request, so a route-level check does not repeat the table's. */
    granted: ReadonlySet<string>;
    /** PODIUM_TRUST_PROXY: X-Forwarded-For and X-Forwarded-Proto come from our own reverse proxy (server/http/client-info.ts). */
    trustProxy: boolean;
    /** PODIUM_WEBHOOK_HOSTS and the delivery timing (server/webhooks/delivery-settings.ts). */
    webhooks: WebhookSettings;
  };
};

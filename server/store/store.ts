import type { Engine } from './engine/sql.ts';
import { openEngine, type DatabaseTarget } from './db.ts';
import { usersStore } from './users.ts';
import { sessionsStore } from './sessions.ts';
import { auditStore } from './audit.ts';
import { projectsStore } from './projects.ts';
import { promptsStore } from './prompts.ts';
import { importStageStore } from './import-stage.ts';
import { assignmentsStore } from './assignments.ts';
import { resultsStore } from './results.ts';
import { exportSource } from './export-source.ts';
import { agreementSource } from './agreement-source.ts';
import { leaderboardSource } from './leaderboard-source.ts';
import { reviewStore } from './review.ts';
import { samplingStore } from './sampling.ts';
import { judgesStore } from './judges.ts';
import { accountsStore } from './accounts.ts';
import { resourceOwnersStore } from './resource-owners.ts';
import { loginThrottleStore } from './login-throttle.ts';
import { webhooksStore } from './webhooks.ts';
import { qualityStore } from './quality-store.ts';

/** Every table group, over one engine: the routes, CLI and jobs never see which. */
export function createStore(engine: Engine) {
  return {
    engine,
    users: usersStore(engine),
    sessions: sessionsStore(engine),
    audit: auditStore(engine),
    projects: projectsStore(engine),
    prompts: promptsStore(engine),
    importStage: importStageStore(engine),
    assignments: assignmentsStore(engine),
    results: resultsStore(engine),
    exportSource: exportSource(engine),
    agreementSource: agreementSource(engine),
    leaderboardSource: leaderboardSource(engine),
    review: reviewStore(engine),
    sampling: samplingStore(engine),
    judges: judgesStore(engine),
    accounts: accountsStore(engine),
    owners: resourceOwnersStore(engine),
    loginThrottle: loginThrottleStore(engine),
    webhooks: webhooksStore(engine),
    quality: qualityStore(engine),
    close: () => engine.close(),
  };
}
export type Store = ReturnType<typeof createStore>;

/** Opens the configured database (migrated) and its store. */
export async function openStore(target: DatabaseTarget): Promise<Store> {
  return createStore(await openEngine(target));
}

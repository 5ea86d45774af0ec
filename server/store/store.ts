import type { Db } from './db.ts';
import { usersStore } from './users.ts';
import { sessionsStore } from './sessions.ts';
import { auditStore } from './audit.ts';
import { projectsStore } from './projects.ts';
import { promptsStore } from './prompts.ts';
import { assignmentsStore } from './assignments.ts';
import { resultsStore } from './results.ts';
import { exportSource } from './export-source.ts';
import { groupCommit } from './group-commit.ts';
import { agreementSource } from './agreement-source.ts';
import { leaderboardSource } from './leaderboard-source.ts';
import { reviewStore } from './review.ts';
import { samplingStore } from './sampling.ts';
import { accountsStore } from './accounts.ts';
import { resourceOwnersStore } from './resource-owners.ts';
import { loginThrottleStore } from './login-throttle.ts';

/** Every table group's statements, prepared once when the database opens. */
export function createStore(db: Db) {
  return {
    db,
    /** Labeling writes go through here so concurrent labelers share commits. */
    write: groupCommit(db),
    users: usersStore(db),
    sessions: sessionsStore(db),
    audit: auditStore(db),
    projects: projectsStore(db),
    prompts: promptsStore(db),
    assignments: assignmentsStore(db),
    results: resultsStore(db),
    exportSource: exportSource(db),
    agreementSource: agreementSource(db),
    leaderboardSource: leaderboardSource(db),
    review: reviewStore(db),
    sampling: samplingStore(db),
    accounts: accountsStore(db),
    owners: resourceOwnersStore(db),
    loginThrottle: loginThrottleStore(db),
  };
}
export type Store = ReturnType<typeof createStore>;

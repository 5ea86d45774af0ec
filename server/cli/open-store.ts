import { readConfig } from '../config.ts';
import { openDb } from '../store/db.ts';
import { createStore, type Store } from '../store/store.ts';
import type { Project } from '../../shared/projects.ts';

/** The CLI works on the same database file as the server (WAL lets both run at once). */
export function openCliStore(): Store {
  return createStore(openDb(readConfig().dbFile));
}

/** Runs a command against one project: says so when it does not exist, and always closes the database. */
export async function withProject(
  projectId: number,
  run: (store: Store, project: Project) => Promise<number> | number,
  err: (line: string) => void = (line) => console.error(line),
): Promise<number> {
  const store = openCliStore();
  try {
    const project = store.projects.byId(projectId);
    if (!project) {
      err(`project ${projectId} does not exist`);
      return 1;
    }
    return await run(store, project);
  } finally {
    store.db.close();
  }
}

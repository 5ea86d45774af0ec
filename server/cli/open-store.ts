import { readConfig } from '../config.ts';
import { openStore, type Store } from '../store/store.ts';
import type { Project } from '../../shared/projects.ts';

/** The CLI works on the same database as the server (SQLite's WAL, or Postgres, lets both run at once). */
export function openCliStore(): Promise<Store> {
  return openStore(readConfig());
}

/** Runs a command against one project: says so when it does not exist, and always closes the database. */
export async function withProject(
  projectId: number,
  run: (store: Store, project: Project) => Promise<number> | number,
  err: (line: string) => void = (line) => console.error(line),
): Promise<number> {
  const store = await openCliStore();
  try {
    const project = await store.projects.byId(projectId);
    if (!project) {
      err(`project ${projectId} does not exist`);
      return 1;
    }
    return await run(store, project);
  } finally {
    await store.close();
  }
}

import type { Store } from '../store/store.ts';
import type { SessionUser } from '../store/sessions.ts';
import type { Project } from '../../shared/projects.ts';

export type AppEnv = {
  Variables: {
    store: Store;
    user: SessionUser;
    project: Project;
  };
};

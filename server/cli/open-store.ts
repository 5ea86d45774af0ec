import { readConfig } from '../config.ts';
import { openDb } from '../store/db.ts';
import { createStore, type Store } from '../store/store.ts';

/** The CLI works on the same database file as the server (WAL lets both run at once). */
export function openCliStore(): Store {
  return createStore(openDb(readConfig().dbFile));
}

import { describe, expect, it } from 'vitest';
import { migrationsIn } from '../../../server/store/engine/migrate.ts';
import { toPostgres } from '../../../server/store/engine/postgres-engine.ts';

describe('migrations for both engines', () => {
  it('every schema change exists for SQLite and for Postgres, under the same number', () => {
    const versions = (engine: 'sqlite' | 'postgres') => migrationsIn(engine).map((m) => m.version);
    expect(versions('postgres')).toEqual(versions('sqlite'));
    expect(new Set(versions('sqlite')).size).toBe(versions('sqlite').length);
  });
});

describe('portable SQL on Postgres', () => {
  it('numbers the placeholders and drops SQLite planner pins', () => {
    expect(toPostgres('SELECT id FROM prompts INDEXED BY prompts_project WHERE project_id = ? AND id > ? LIMIT ?')).toBe('SELECT id FROM prompts WHERE project_id = $1 AND id > $2 LIMIT $3');
  });
});

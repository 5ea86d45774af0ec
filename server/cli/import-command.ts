import { readFileSync } from 'node:fs';
import { parseImport } from '../import/parse-import.ts';
import { withProject } from './open-store.ts';
import { parseArgs, stringOption, UsageError } from './args.ts';

/** `podium import --project ID FILE`: the same atomic import as the API; bad lines are listed and nothing is stored. */
export async function runImportCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const projectId = Number(stringOption(args, 'project'));
  const file = args.positional[0];
  if (!Number.isInteger(projectId) || projectId <= 0 || !file) throw new UsageError('usage: podium import --project ID FILE.jsonl');
  return withProject(projectId, async (store, project) => {
    const parsed = parseImport(readFileSync(file, 'utf8'), project.responsesPerPrompt);
    if (parsed.errors.length) {
      for (const e of parsed.errors) console.error(`${file}:${e.line}: ${e.message}`);
      console.error(`${parsed.errors.length} bad line(s); nothing was imported`);
      return 1;
    }
    const result = await store.prompts.importPrompts(project.id, parsed.prompts);
    await store.audit.record(null, 'project.import', String(project.id), { imported: result.imported, skipped: result.skipped.length, via: 'cli' });
    console.log(JSON.stringify(result));
    return 0;
  });
}

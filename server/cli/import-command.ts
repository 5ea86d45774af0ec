import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { refusalMessage } from '../import/parse-import.ts';
import { importLines } from '../import/import-lines.ts';
import { bodyLines } from '../http/body-stream.ts';
import { withProject } from './open-store.ts';
import { commandHelp, defineCommand, parseCommand, usageError } from './args.ts';

export const importCommand = defineCommand({
  name: 'import',
  summary: 'The same atomic import as the API: all lines or none. Bad lines print as FILE:LINE: reason.',
  usage: ['--project ID FILE.jsonl'],
  options: { project: { type: 'string', value: 'ID', description: 'the project to import into' } },
  positionals: 1,
});

/** `podium import --project ID FILE`: the same atomic import as the API; bad lines are listed and nothing is stored. */
export async function runImportCommand(argv: string[]): Promise<number> {
  const args = parseCommand(importCommand, argv);
  if (args === 'help') {
    console.log(commandHelp(importCommand));
    return 0;
  }
  const projectId = Number(args.values.project);
  const file = args.positionals[0];
  if (!Number.isInteger(projectId) || projectId <= 0 || !file) throw usageError(importCommand, !file ? 'FILE.jsonl is required' : '--project ID is required');
  return withProject(projectId, async (store, project) => {
    // Streamed and staged, as the upload is: the file is never held in memory.
    const outcome = await importLines(store, project, bodyLines(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>));
    if (!outcome.ok) {
      const { parsed } = outcome;
      for (const e of parsed.errors) console.error(`${file}:${e.line}: ${e.message}`);
      console.error(refusalMessage(parsed));
      return 1;
    }
    const { reply } = outcome;
    for (const w of reply.warnings) console.error(`${file}:${w.line}: warning: ${w.message}`);
    if (reply.warningLines > reply.warnings.length) console.error(`${reply.warningLines} lines have warnings; the first ${reply.warnings.length} are listed`);
    await store.audit.record(null, 'project.import', String(project.id), { imported: reply.imported, skipped: reply.skipped.length, via: 'cli' });
    console.log(JSON.stringify(reply));
    return 0;
  });
}

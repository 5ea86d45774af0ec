import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { refusalMessage } from '../import/parse-import.ts';
import { parseImportLines } from '../import/read-import.ts';
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
import type { ImportReply } from '../../shared/import-line.ts';

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
    // Streamed, as the upload is: the file is never held as one string beside its parsed lines.
    const parsed = await parseImportLines(bodyLines(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>), project.responsesPerPrompt);
    if (parsed.badLines > 0) {
      for (const e of parsed.errors) console.error(`${file}:${e.line}: ${e.message}`);
      console.error(refusalMessage(parsed));
      return 1;
    }
    for (const w of parsed.warnings) console.error(`${file}:${w.line}: warning: ${w.message}`);
    if (parsed.warningLines > parsed.warnings.length) console.error(`${parsed.warningLines} lines have warnings; the first ${parsed.warnings.length} are listed`);
    const result = await store.prompts.importPrompts(project.id, parsed.prompts);
    await store.audit.record(null, 'project.import', String(project.id), { imported: result.imported, skipped: result.skipped.length, via: 'cli' });
    const reply: ImportReply = { ...result, warnings: parsed.warnings, warningLines: parsed.warningLines };
    console.log(JSON.stringify(reply));
    return 0;
  });
}

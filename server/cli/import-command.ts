import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { refusalMessage } from '../import/parse-import.ts';
import { parseImportLines } from '../import/read-import.ts';
import { bodyLines } from '../http/body-stream.ts';
import { withProject } from './open-store.ts';
import { parseArgs, stringOption, UsageError } from './args.ts';
import type { ImportReply } from '../../shared/import-line.ts';

/** `podium import --project ID FILE`: the same atomic import as the API; bad lines are listed and nothing is stored. */
export async function runImportCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const projectId = Number(stringOption(args, 'project'));
  const file = args.positional[0];
  if (!Number.isInteger(projectId) || projectId <= 0 || !file) throw new UsageError('usage: podium import --project ID FILE.jsonl');
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

import { leaderboardQuerySchema } from '../../shared/leaderboard.ts';
import { leaderboardReport, leaderboardSeed } from '../leaderboard/leaderboard-report.ts';
import { withProject } from './open-store.ts';
import { parseArgs, stringOption, UsageError } from './args.ts';

const usage = 'usage: podium leaderboard --project ID [--by model|policy] [--bootstrap N] [--group METADATA_KEY]';

/** `podium leaderboard`: the same JSON object as `GET /api/projects/:id/leaderboard`, on one line. */
export async function runLeaderboardCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const args = parseArgs(argv);
  const projectId = Number(stringOption(args, 'project'));
  if (!Number.isInteger(projectId) || projectId <= 0) throw new UsageError(usage);
  // The flags spelled as the API's query, so both go through the same schema, bounds and defaults.
  const query: Record<string, string> = {};
  for (const name of ['by', 'bootstrap', 'group']) {
    const value = args.options.get(name);
    if (value === true) throw new UsageError(`--${name} needs a value\n${usage}`);
    if (value !== undefined) query[name] = value;
  }
  const parsed = leaderboardQuerySchema.safeParse(query);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
    return 2;
  }
  const { by, bootstrap, group } = parsed.data;
  return withProject(projectId, async (store, project) => {
    const prompts = await store.leaderboardSource.prompts(project.id, group);
    const report = leaderboardReport(prompts, { by, bootstrap, seed: leaderboardSeed, ...(group === undefined ? {} : { group }) });
    out.write(`${JSON.stringify(report)}\n`);
    return 0;
  });
}

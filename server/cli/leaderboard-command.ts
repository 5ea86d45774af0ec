import { leaderboardQuerySchema } from '../../shared/leaderboard.ts';
import { leaderboardReport, leaderboardSeed } from '../leaderboard/leaderboard-report.ts';
import { withProject } from './open-store.ts';
import { selectCriterion } from '../ranking/criterion-selection.ts';
import { commandHelp, defineCommand, parseCommand, usageError } from './args.ts';

export const leaderboardCommand = defineCommand({
  name: 'leaderboard',
  summary: 'Models (or sampling policies) ranked by Bradley–Terry strength: the leaderboard API\'s JSON object, on one line.',
  usage: ['--project ID [--by model|policy] [--criterion KEY|combined] [--bootstrap N] [--group METADATA_KEY] [--sources human|judge|human,judge]'],
  options: {
    project: { type: 'string', value: 'ID', description: 'the project whose rankings count' },
    by: { type: 'string', value: 'model|policy', description: 'rank models (default) or sampling policies' },
    criterion: { type: 'string', value: 'KEY', description: "whose rankings give the outcomes: a criterion key or combined (default: the project's first)" },
    bootstrap: { type: 'string', value: 'N', description: 'resamples of prompts for the Elo intervals (default 200)' },
    group: { type: 'string', value: 'KEY', description: 'one leaderboard per value of this prompt metadata key' },
    sources: { type: 'string', value: 'human|judge|human,judge', description: 'whose rankings give the outcomes (default human)' },
  },
});

/** `podium leaderboard`: the same JSON object as `GET /api/projects/:id/leaderboard`, on one line. */
export async function runLeaderboardCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const args = parseCommand(leaderboardCommand, argv);
  if (args === 'help') {
    out.write(`${commandHelp(leaderboardCommand)}\n`);
    return 0;
  }
  const projectId = Number(args.values.project);
  if (!Number.isInteger(projectId) || projectId <= 0) throw usageError(leaderboardCommand, '--project ID is required');
  // The flags spelled as the API's query, so both go through the same schema, bounds and defaults.
  const query: Record<string, string> = {};
  for (const name of ['by', 'bootstrap', 'group', 'criterion', 'sources'] as const) {
    const value = args.values[name];
    if (value !== undefined) query[name] = value;
  }
  const parsed = leaderboardQuerySchema.safeParse(query);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
    return 2;
  }
  const { by, bootstrap, group, criterion, sources } = parsed.data;
  return withProject(projectId, async (store, project) => {
    const picked = selectCriterion(project.criteria, criterion);
    if (!picked.ok) {
      console.error(`--criterion: ${picked.message}`);
      return 2;
    }
    const prompts = await store.leaderboardSource.prompts(project.id, group, { selection: picked.selection, criteria: project.criteria, sources });
    const report = { ...leaderboardReport(prompts, { by, bootstrap, seed: leaderboardSeed, sources, ...(group === undefined ? {} : { group }) }), criterion: picked.selection.key };
    out.write(`${JSON.stringify(report)}\n`);
    return 0;
  });
}

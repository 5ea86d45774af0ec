import { UsageError } from './cli/args.ts';
import { runImportCommand } from './cli/import-command.ts';
import { runExportCommand } from './cli/export-command.ts';
import { runAgreementCommand } from './cli/agreement-command.ts';
import { runGenerateCommand } from './cli/generate-command.ts';
import { runBackupCommand } from './cli/backup-command.ts';
import { runUsersCommand } from './cli/users-command.ts';
import { runLeaderboardCommand } from './cli/leaderboard-command.ts';
import { runCopyDbCommand } from './cli/copy-db-command.ts';

type Command = { run: (argv: string[]) => Promise<number>; help: string };

// `npm run podium -- <command> ...`: each command calls the same modules as the API routes.
const commands: Record<string, Command> = {
  import: { run: runImportCommand, help: 'import --project ID FILE.jsonl      import prompts (and responses) atomically' },
  agreement: {
    run: (argv) => runAgreementCommand(argv, process.stdout, process.stderr),
    help: 'agreement (--rankings FILE | --project ID) [--bootstrap N]   every agreement figure, for rankings gathered anywhere (one per line, or the rankings export) or for a project',
  },
  generate: { run: runGenerateCommand, help: 'generate --project ID [--concurrency N]   sample every missing response from the SFT model(s)' },
  leaderboard: { run: (argv) => runLeaderboardCommand(argv), help: 'leaderboard --project ID [--by model|policy] [--bootstrap N] [--group KEY]   models or policies ranked by Bradley–Terry, as JSON' },
  export: { run: runExportCommand, help: 'export --project ID [--format F] …   comparison JSONL to stdout or --out FILE (see README)' },
  backup: { run: runBackupCommand, help: 'backup --out FILE [--db FILE] [--force]   online SQLite backup while the server runs' },
  'copy-db': { run: runCopyDbCommand, help: 'copy-db --to postgres://…   copy the SQLite database (PODIUM_DB) into an empty Postgres database' },
  users: { run: runUsersCommand, help: 'users list | create NAME --role R | reset-password NAME | disable NAME | enable NAME' },
};

const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  console.error(`usage: npm run podium -- <command> [options]\n\ncommands:\n${Object.values(commands).map((c) => `  ${c.help}`).join('\n')}`);
  process.exit(name && name !== 'help' && name !== '--help' ? 2 : 0);
}
try {
  process.exitCode = await command.run(rest);
} catch (e) {
  if (e instanceof UsageError) {
    console.error(e.message);
    process.exitCode = 2;
  } else throw e;
}

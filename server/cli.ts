import { UsageError, type CommandSpec, type OptionSpec } from './cli/args.ts';
import { importCommand, runImportCommand } from './cli/import-command.ts';
import { exportCommand, runExportCommand } from './cli/export-command.ts';
import { agreementCommand, runAgreementCommand } from './cli/agreement-command.ts';
import { generateCommand, runGenerateCommand } from './cli/generate-command.ts';
import { backupCommand, runBackupCommand } from './cli/backup-command.ts';
import { runUsersCommand, usersCommand } from './cli/users-command.ts';
import { leaderboardCommand, runLeaderboardCommand } from './cli/leaderboard-command.ts';
import { cliHelp } from './cli/cli-help.ts';
import { copyDbCommand, runCopyDbCommand } from './cli/copy-db-command.ts';

type Command = { run: (argv: string[]) => Promise<number>; spec: CommandSpec<Record<string, OptionSpec>> };

// `npm run podium -- <command> ...`: each command calls the same modules as the API routes.
const commands: Record<string, Command> = {
  import: { run: runImportCommand, spec: importCommand },
  generate: { run: runGenerateCommand, spec: generateCommand },
  export: { run: runExportCommand, spec: exportCommand },
  leaderboard: { run: (argv) => runLeaderboardCommand(argv), spec: leaderboardCommand },
  agreement: { run: (argv) => runAgreementCommand(argv, process.stdout, process.stderr), spec: agreementCommand },
  backup: { run: runBackupCommand, spec: backupCommand },
  'copy-db': { run: runCopyDbCommand, spec: copyDbCommand },
  users: { run: runUsersCommand, spec: usersCommand },
};

// `podium export | head`: once the reader has what it wants, a closed pipe ends the command quietly, as it
// ends any Unix filter, instead of an uncaught EPIPE and its stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  const asked = name === 'help' || name === '--help' || name === '-h';
  const help = cliHelp(Object.values(commands).map((c) => c.spec));
  if (asked) console.log(help);
  else console.error(name ? `unknown command "${name}"\n\n${help}` : help);
  process.exit(asked ? 0 : 2);
}
try {
  process.exitCode = await command.run(rest);
} catch (e) {
  if (e instanceof UsageError) {
    console.error(e.message);
    process.exitCode = 2;
  } else throw e;
}

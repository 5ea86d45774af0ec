import type { CommandSpec, OptionSpec } from './args.ts';

/** `podium --help`: every command's first usage line and summary, from the same tables each command parses with. */
export function cliHelp(specs: CommandSpec<Record<string, OptionSpec>>[]): string {
  const lines = specs.map((s) => `  ${s.name} ${s.usage[0] ?? ''}\n      ${s.summary}`);
  return `usage: npm run podium -- <command> [options]    (podium <command> --help for its options)\n\ncommands:\n${lines.join('\n')}`;
}

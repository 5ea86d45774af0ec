import { parseArgs as parseNodeArgs } from 'node:util';

/** One option of a command: how `util.parseArgs` reads it and how `--help` describes it, from the same entry. */
export type OptionSpec = {
  type: 'string' | 'boolean';
  /** The placeholder the help text shows after a string option: `--project ID`. */
  value?: string;
  description: string;
};

/** A command's whole surface: the usage lines and option table its `--help` prints and its parser enforces. */
export type CommandSpec<O extends Record<string, OptionSpec>> = {
  name: string;
  summary: string;
  /** Words after the command name (positionals and choices), e.g. `--project ID FILE.jsonl`. */
  usage: string[];
  options: O;
  /** How many positional words the command takes; any more is a usage error. */
  positionals?: number;
};

type ValueOf<S extends OptionSpec> = S['type'] extends 'string' ? string : boolean;
export type ParsedCommand<O extends Record<string, OptionSpec>> = {
  values: { [K in keyof O]?: ValueOf<O[K]> };
  positionals: string[];
};

export class UsageError extends Error {}

/** Every command answers `--help` and `-h`; the entry is added here so no table repeats it. */
const helpOption: OptionSpec = { type: 'boolean', description: 'print this help' };

export function defineCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** `podium NAME --help`: the usage lines, then one line per option with its placeholder and description. */
export function commandHelp(spec: CommandSpec<Record<string, OptionSpec>>): string {
  const usage = spec.usage.map((u, i) => `${i === 0 ? 'usage: ' : '       '}podium ${spec.name} ${u}`.trimEnd());
  const rows = Object.entries<OptionSpec>({ ...spec.options, help: helpOption }).map(([name, o]) => [`--${name}${o.value ? ` ${o.value}` : ''}`, o.description] as const);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [...usage, '', spec.summary, '', 'options:', ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`)].join('\n');
}

/** A usage error says what was wrong, then the command's help, so the fix is on screen. */
export function usageError(spec: CommandSpec<Record<string, OptionSpec>>, problem: string): UsageError {
  return new UsageError(`${problem}\n\n${commandHelp(spec)}`);
}

/**
 * Parses argv against the command's table with Node's `util.parseArgs` in strict mode: an unknown flag, a string
 * option without its value (or with a value that looks like a flag) or a stray positional is a UsageError (exit 2).
 * Returns 'help' when `--help` was asked for.
 */
export function parseCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, argv: string[]): ParsedCommand<O> | 'help' {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) options[name] = { type: o.type };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseNodeArgs({ args: argv, options, strict: true, allowPositionals: (spec.positionals ?? 0) > 0 }) as typeof parsed;
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) throw usageError(spec as CommandSpec<Record<string, OptionSpec>>, (e as Error).message);
    throw e;
  }
  if (parsed.values.help === true) return 'help';
  if (parsed.positionals.length > (spec.positionals ?? 0)) {
    throw usageError(spec as CommandSpec<Record<string, OptionSpec>>, `unexpected argument "${parsed.positionals[spec.positionals ?? 0]}"`);
  }
  const { help: _help, ...values } = parsed.values;
  return { values: values as ParsedCommand<O>['values'], positionals: parsed.positionals };
}

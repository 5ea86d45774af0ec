/** `--name value` and `--flag` options plus positional words; every command parses its own with this. */
export type ParsedArgs = { options: Map<string, string | true>; positional: string[] };

export function parseArgs(argv: string[]): ParsedArgs {
  const options = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      if (eq > 0) options.set(word.slice(2, eq), word.slice(eq + 1));
      else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          options.set(word.slice(2), next);
          i++;
        } else options.set(word.slice(2), true);
      }
    } else positional.push(word);
  }
  return { options, positional };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export class UsageError extends Error {}

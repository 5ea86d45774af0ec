import { describe, expect, it } from 'vitest';
import { commandHelp, parseCommand, UsageError } from '../../../server/cli/args.ts';
import { exportCommand } from '../../../server/cli/export-command.ts';
import { importCommand } from '../../../server/cli/import-command.ts';
import { runAgreementCommand } from '../../../server/cli/agreement-command.ts';
import { Writable } from 'node:stream';

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('CLI options on util.parseArgs', () => {
  it('reads typed options, --name=value and boolean flags as the old parser did', () => {
    const args = parseCommand(exportCommand, ['--project', '3', '--format=hh-rlhf', '--no-metadata', '--out', 'pairs.jsonl']);
    expect(args).toEqual({ values: { project: '3', format: 'hh-rlhf', 'no-metadata': true, out: 'pairs.jsonl' }, positionals: [] });
    expect(parseCommand(importCommand, ['--project', '1', 'file.jsonl'])).toEqual({ values: { project: '1' }, positionals: ['file.jsonl'] });
  });

  it('refuses an unknown flag, naming it, with the help text after', () => {
    const message = usageMessage(() => parseCommand(exportCommand, ['--project', '1', '--fromat', 'trl']));
    expect(message).toMatch(/Unknown option '--fromat'/);
    expect(message).toContain('--format F');
  });

  it('refuses a string option without its value, at the end or followed by another flag', () => {
    expect(usageMessage(() => parseCommand(exportCommand, ['--project']))).toMatch(/'--project <value>' argument missing/);
    expect(usageMessage(() => parseCommand(exportCommand, ['--project', '--format', 'trl']))).toMatch(/--project/);
  });

  it('refuses positional words a command does not take', () => {
    expect(usageMessage(() => parseCommand(exportCommand, ['--project', '1', 'stray']))).toMatch(/stray/);
    expect(usageMessage(() => parseCommand(importCommand, ['--project', '1', 'a.jsonl', 'b.jsonl']))).toMatch(/b\.jsonl/);
  });

  it('answers --help and -h, and builds the help from the same option table it parses with', () => {
    expect(parseCommand(exportCommand, ['--help'])).toBe('help');
    expect(parseCommand(exportCommand, ['-h'])).toBe('help');
    const help = commandHelp(exportCommand);
    expect(help.split('\n')[0]).toMatch(/^usage: podium export --project ID/);
    for (const name of Object.keys(exportCommand.options)) expect(help).toContain(`--${name}`);
    expect(help).toMatch(/--dataset-dir DIR\s+write DIR\/train\.jsonl/);
    expect(help).toContain('--help');
  });

  it('gives the agreement command exit code 2 on an unknown flag or a missing value, with the reason on stderr', async () => {
    let err = '';
    const sink = (fn: (s: string) => void) => new Writable({ write(chunk, _e, done) { fn(String(chunk)); done(); } });
    const out = sink(() => {});
    expect(await runAgreementCommand(['--rankings', 'x.jsonl', '--bogus'], out, sink((s) => (err += s)))).toBe(2);
    expect(err).toMatch(/Unknown option '--bogus'/);
    err = '';
    expect(await runAgreementCommand(['--rankings'], out, sink((s) => (err += s)))).toBe(2);
    expect(err).toMatch(/argument missing/);
  });
});

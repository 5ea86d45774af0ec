import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/accounts.ts';
import { auditLines, type AuditNames } from '../../../client/src/components/audit-sentences.ts';

const names: AuditNames = { users: new Map([[7, 'ben']]), projects: new Map([[3, 'Capitals']]) };
let nextId = 100;
const entry = (action: string, target: string | null, detail: unknown = null, username: string | null = 'ana', userId: number | null = 2): AuditEntry => ({
  id: nextId--,
  at: '2026-12-01T10:00:00Z',
  userId,
  username,
  action,
  target,
  detail,
});
const sentences = (entries: AuditEntry[]) => auditLines(entries, names).map((l) => l.sentence);

describe('the audit log as sentences', () => {
  it('makes one line of a download, with its settings, the project by name and how many lines went out', () => {
    // Newest first, as the API pages them: two downloads of the same project, the newer one cut short.
    const log = [
      entry('project.export.end', '3', { prompts: 2, lines: 40, aborted: true }),
      entry('project.export', '3', { format: 'trl', strategy: 'all', split: 'train' }),
      entry('project.export.end', '3', { prompts: 10, lines: 1234, aborted: false }),
      entry('project.export', '3', { format: 'rankings', strategy: 'all' }),
    ];
    expect(sentences(log)).toEqual([
      'ana downloaded the trl export (all pairs), train split of project “Capitals”, stopped after 40 lines',
      'ana downloaded the rankings export of project “Capitals”: 1,234 lines',
    ]);
  });

  it('says so when a download has no end yet, and names a project it does not know by its id', () => {
    expect(sentences([entry('project.export', '9', { format: 'hh-rlhf', strategy: 'best-worst' })])).toEqual([
      'ana downloaded the hh-rlhf export (best-worst pairs) of project 9 (still running, or ended without a count)',
    ]);
  });

  it('writes accounts, members and exclusions with names and reasons', () => {
    expect(
      sentences([
        entry('login', 'ana', { address: '10.0.0.5' }),
        entry('login.failed', 'zoe', { address: '10.0.0.9' }, null, null),
        entry('user.role', 'ben', { from: 'labeler', to: 'lead' }, 'admin', 1),
        entry('project.member.add', '3', { userId: 7 }, 'admin', 1),
        entry('member.exclude', 'projects/3/members/7', { reason: 'random order' }),
        entry('project.import', '3', { imported: 1, skipped: 2, via: 'cli' }, null, null),
        entry('prompt.extra-labels', 'projects/3/prompts/17', { extraLabelers: 1 }),
        entry('something.new', 'x'),
      ]),
    ).toEqual([
      'ana logged in from 10.0.0.5',
      'A login as “zoe” failed from 10.0.0.9',
      "admin changed ben's role from labeler to lead",
      'admin added ben to project “Capitals”',
      'ana excluded ben in project “Capitals”: “random order”',
      'Someone imported 1 prompt into project “Capitals” (2 lines skipped) from the command line',
      'ana sent prompt 17 of project “Capitals” back for more labels',
      'ana: something.new x',
    ]);
  });

  it('names a webhook by its URL when it is added, and says what changed, never a secret', () => {
    expect(
      sentences([
        entry('webhook.create', '3', { webhookId: 4, url: 'https://ci.example.com/podium', events: ['ranking.submitted'] }),
        entry('webhook.update', '3', { webhookId: 4, changed: ['active', 'secret'], url: 'https://ci.example.com/podium', active: false }),
        entry('webhook.delete', '3', { webhookId: 4 }),
      ]),
    ).toEqual([
      'ana added a webhook to https://ci.example.com/podium for project “Capitals”',
      'ana changed the webhook 4 of project “Capitals” (active, secret)',
      'ana deleted the webhook 4 of project “Capitals”',
    ]);
  });
});

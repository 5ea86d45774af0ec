import type { AuditEntry } from '../../../shared/accounts.ts';

/** One line of the audit log as a person reads it. */
export type AuditLine = { id: number; at: string; sentence: string };
/** Names the log's ids stand for, as far as the reader's page knows them. */
export type AuditNames = { users: ReadonlyMap<number, string>; projects: ReadonlyMap<number, string> };

type Detail = Record<string, unknown>;

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const plural = (n: number, noun: string) => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;

function projectName(id: string | null | undefined, names: AuditNames): string {
  const project = id === null || id === undefined ? undefined : names.projects.get(Number(id));
  return project ? `project “${project}”` : `project ${id ?? '?'}`;
}

function userName(id: unknown, names: AuditNames): string {
  const found = typeof id === 'number' ? names.users.get(id) : undefined;
  return found ?? `user ${text(id) ?? '?'}`;
}

const because = (d: Detail) => (text(d.reason) ? `: “${text(d.reason)}”` : '');
const via = (d: Detail) => (d.via === 'cli' ? ' from the command line' : '');

/** `projects/3/prompts/17` → `["3", "prompts", "17"]`. */
function pathParts(target: string | null): string[] {
  return (target ?? '').replace(/^projects\//, '').split('/');
}

function exportSettings(d: Detail): string {
  const format = text(d.format) ?? 'an';
  const strategy = text(d.strategy);
  const split = text(d.split);
  return `the ${format} export${strategy && d.format !== 'rankings' ? ` (${strategy} pairs)` : ''}${split ? `, ${split} split` : ''}`;
}

/** What one entry says, as a sentence whose subject is who did it. */
function sentence(e: AuditEntry, names: AuditNames, end?: Detail): string {
  const d: Detail = e.detail !== null && typeof e.detail === 'object' ? (e.detail as Detail) : {};
  const who = e.username ?? 'Someone';
  const target = e.target ?? '';
  const [projectId, , itemId] = pathParts(e.target);
  switch (e.action) {
    case 'login':
      return `${who} logged in${text(d.address) ? ` from ${text(d.address)}` : ''}`;
    case 'login.failed':
      return `A login as “${target}” failed${d.disabled ? ' (the account is disabled)' : ''}${text(d.address) ? ` from ${text(d.address)}` : ''}`;
    case 'login.throttled':
      return `Logins as “${target}” were paused after repeated failures${text(d.address) ? ` from ${text(d.address)}` : ''}`;
    case 'logout':
      return `${who} logged out`;
    case 'setup.admin':
      return `${who} was created as the first admin`;
    case 'user.create':
      return `${who} created the account ${target}${text(d.role) ? ` (${text(d.role)})` : ''}${via(d)}`;
    case 'user.role':
      return `${who} changed ${target}'s role from ${text(d.from) ?? '?'} to ${text(d.to) ?? '?'}`;
    case 'user.disable':
    case 'user.enable':
      return `${who} ${e.action === 'user.disable' ? 'disabled' : 'enabled'} the account ${target}${via(d)}`;
    case 'user.password.reset':
      return `${who} reset ${target}'s password${via(d)}`;
    case 'user.sessions.revoke':
      return `${who} logged ${target} out everywhere`;
    case 'password.change':
      return `${who} changed their password`;
    case 'session.revoke':
      return `${who} ended one of their sessions`;
    case 'token.create':
      return `${who} created the API token “${text(d.name) ?? target}”`;
    case 'token.revoke':
      return `${who} revoked an API token`;
    case 'token.use':
      return `${who} used an API token${text(d.path) ? ` (${text(d.method) ?? ''} ${text(d.path)})` : ''}`;
    case 'invite.create':
      return `${who} created an invite${text(d.role) ? ` for a ${text(d.role)}` : ''}${d.projectId ? ` to ${projectName(text(d.projectId), names)}` : ''}`;
    case 'invite.accept':
      return `${target} accepted an invite${text(d.role) ? ` as ${text(d.role)}` : ''}`;
    case 'project.create':
      return `${who} created ${projectName(target, names)}`;
    case 'project.member.add':
      return `${who} added ${userName(d.userId, names)} to ${projectName(target, names)}`;
    case 'project.import':
      return `${who} imported ${plural(Number(d.imported ?? 0), 'prompt')} into ${projectName(target, names)}${Number(d.skipped) ? ` (${plural(Number(d.skipped), 'line')} skipped)` : ''}${via(d)}`;
    case 'project.export': {
      const lines = end ? Number(end.lines ?? 0) : null;
      const outcome = end === undefined ? ' (still running, or ended without a count)' : end.aborted ? `, stopped after ${plural(lines ?? 0, 'line')}` : `: ${plural(lines ?? 0, 'line')}`;
      return `${who} downloaded ${exportSettings(d)} of ${projectName(target, names)}${via(d)}${outcome}`;
    }
    case 'project.export.manifest':
      return `${who} downloaded the manifest of ${exportSettings(d)} of ${projectName(target, names)}`;
    case 'project.export.end':
      return `${who}'s export of ${projectName(target, names)} ended: ${plural(Number(d.lines ?? 0), 'line')}${d.aborted ? ', stopped early' : ''}`;
    case 'sampling.settings':
      return `${who} changed the sampling settings of ${projectName(target, names)}`;
    case 'sampling.job.start':
      return `${who} started sampling ${plural(Number(d.total ?? 0), 'response')} for ${projectName(target, names)}`;
    case 'sampling.job.cancel':
      return `${who} cancelled sampling for ${projectName(target, names)}`;
    case 'prompt.extra-labels':
      return `${who} sent prompt ${itemId ?? '?'} of ${projectName(projectId, names)} back for more labels`;
    case 'prompt.exclude':
    case 'prompt.include':
      return `${who} ${e.action === 'prompt.exclude' ? 'excluded' : 'included again'} prompt ${itemId ?? '?'} of ${projectName(projectId, names)}${because(d)}`;
    case 'member.exclude':
    case 'member.include':
      return `${who} ${e.action === 'member.exclude' ? 'excluded' : 'included again'} ${userName(Number(itemId), names)} in ${projectName(projectId, names)}${because(d)}`;
    case 'ranking.exclude':
    case 'ranking.include':
      return `${who} ${e.action === 'ranking.exclude' ? 'excluded' : 'included again'} ranking ${itemId ?? '?'} of ${projectName(projectId, names)}${because(d)}`;
    case 'webhook.create':
      return `${who} added a webhook to ${text(d.url) ?? '?'} for ${projectName(target, names)}`;
    case 'webhook.update':
      return `${who} changed the webhook ${text(d.webhookId) ?? '?'} of ${projectName(target, names)}${Array.isArray(d.changed) ? ` (${d.changed.join(', ')})` : ''}`;
    case 'webhook.delete':
      return `${who} deleted the webhook ${text(d.webhookId) ?? '?'} of ${projectName(target, names)}`;
    default:
      return `${who}: ${e.action}${target ? ` ${target}` : ''}`;
  }
}

/**
 * The audit log as sentences, newest first, with names in place of ids where they are known. A download is
 * one line: the entry written when the file ended (its line count, whether the client left early) is folded
 * into the entry written when it started.
 */
export function auditLines(entries: readonly AuditEntry[], names: AuditNames): AuditLine[] {
  const endOf = new Map<number, Detail>();
  const pendingEnds: AuditEntry[] = [];
  // Newest first: an end is met before the start it belongs to (same person, same project).
  for (const e of entries) {
    if (e.action === 'project.export.end') pendingEnds.push(e);
    else if (e.action === 'project.export') {
      // The closest end after this start: the oldest of the later ones.
      const i = pendingEnds.findLastIndex((end) => end.userId === e.userId && end.target === e.target);
      const end = i >= 0 ? pendingEnds.splice(i, 1)[0] : undefined;
      if (end) endOf.set(e.id, end.detail !== null && typeof end.detail === 'object' ? (end.detail as Detail) : {});
      if (end) endOf.set(end.id, {});
    }
  }
  return entries
    .filter((e) => !(e.action === 'project.export.end' && endOf.has(e.id)))
    .map((e) => ({ id: e.id, at: e.at, sentence: sentence(e, names, e.action === 'project.export' ? endOf.get(e.id) : undefined) }));
}

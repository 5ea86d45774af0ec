import { hashPassword, randomPassword } from '../auth/password.ts';
import { roleSchema, passwordSchema, usernameSchema } from '../../shared/users.ts';
import { openCliStore } from './open-store.ts';
import { parseArgs, stringOption, UsageError } from './args.ts';
import type { Store } from '../store/store.ts';

const usage = `usage: podium users list
       podium users create USERNAME --role admin|lead|labeler [--password P]
       podium users reset-password USERNAME [--password P]
       podium users disable USERNAME
       podium users enable USERNAME
A password left out is generated and printed once.`;

function password(given: string | undefined): { password: string; generated: boolean } {
  if (given === undefined) return { password: randomPassword(), generated: true };
  const checked = passwordSchema.safeParse(given);
  if (!checked.success) throw new UsageError(checked.error.issues[0]?.message ?? 'bad password');
  return { password: given, generated: false };
}

async function findUser(store: Store, username: string | undefined) {
  if (!username) throw new UsageError(usage);
  const user = await store.users.byUsername(username);
  if (!user) throw new UsageError(`no user "${username}"`);
  return user;
}

/** `podium users …`: account chores for when nobody can log in to the admin page (e.g. a lost admin password). */
export async function runUsersCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const [action, username] = args.positional;
  if (!action) throw new UsageError(usage);
  const store = await openCliStore();
  try {
    switch (action) {
      case 'list': {
        for (const u of await store.users.list()) console.log(`${u.id}\t${u.username}\t${u.role}${u.disabled ? '\tdisabled' : ''}`);
        return 0;
      }
      case 'create': {
        const name = usernameSchema.safeParse(username);
        const role = roleSchema.safeParse(stringOption(args, 'role'));
        if (!name.success || !role.success) throw new UsageError(usage);
        const pw = password(stringOption(args, 'password'));
        const user = await store.users.create(name.data, await hashPassword(pw.password), role.data);
        if (!user) {
          console.error(`the username "${name.data}" is taken`);
          return 1;
        }
        await store.audit.record(null, 'user.create', user.username, { role: user.role, via: 'cli' });
        console.log(pw.generated ? `created ${user.username} (${user.role}); password: ${pw.password}` : `created ${user.username} (${user.role})`);
        return 0;
      }
      case 'reset-password': {
        const user = await findUser(store, username);
        const pw = password(stringOption(args, 'password'));
        await store.accounts.setPassword(user.id, await hashPassword(pw.password));
        const ended = await store.accounts.revokeAllSessions(user.id);
        await store.audit.record(null, 'user.password.reset', user.username, { endedSessions: ended, via: 'cli' });
        console.log(pw.generated ? `new password for ${user.username}: ${pw.password}` : `password of ${user.username} changed`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const user = await findUser(store, username);
        await store.accounts.setDisabled(user.id, action === 'disable');
        await store.audit.record(null, `user.${action}`, user.username, { via: 'cli' });
        console.log(`${user.username} ${action}d`);
        return 0;
      }
      default:
        throw new UsageError(usage);
    }
  } finally {
    await store.close();
  }
}

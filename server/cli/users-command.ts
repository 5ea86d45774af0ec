import { hashPassword, randomPassword } from '../auth/password.ts';
import { passwordProblem } from '../auth/password-policy.ts';
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

function password(given: string | undefined, username: string): { password: string; generated: boolean } {
  if (given === undefined) return { password: randomPassword(), generated: true };
  const checked = passwordSchema.safeParse(given);
  if (!checked.success) throw new UsageError(checked.error.issues[0]?.message ?? 'bad password');
  // The same rule as the API's: a shell is no excuse for "password123".
  const problem = passwordProblem(given, username);
  if (problem) throw new UsageError(problem);
  return { password: given, generated: false };
}

function findUser(store: Store, username: string | undefined) {
  if (!username) throw new UsageError(usage);
  const user = store.users.byUsername(username);
  if (!user) throw new UsageError(`no user "${username}"`);
  return user;
}

/** `podium users …`: account chores for when nobody can log in to the admin page (e.g. a lost admin password). */
export async function runUsersCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const [action, username] = args.positional;
  if (!action) throw new UsageError(usage);
  const store = openCliStore();
  try {
    switch (action) {
      case 'list': {
        for (const u of store.users.list()) console.log(`${u.id}\t${u.username}\t${u.role}${u.disabled ? '\tdisabled' : ''}`);
        return 0;
      }
      case 'create': {
        const name = usernameSchema.safeParse(username);
        const role = roleSchema.safeParse(stringOption(args, 'role'));
        if (!name.success || !role.success) throw new UsageError(usage);
        const pw = password(stringOption(args, 'password'), name.data);
        const user = store.users.create(name.data, await hashPassword(pw.password), role.data);
        if (!user) {
          console.error(`the username "${name.data}" is taken`);
          return 1;
        }
        store.audit.record(null, 'user.create', user.username, { role: user.role, via: 'cli' });
        console.log(pw.generated ? `created ${user.username} (${user.role}); password: ${pw.password}` : `created ${user.username} (${user.role})`);
        return 0;
      }
      case 'reset-password': {
        const user = findUser(store, username);
        const pw = password(stringOption(args, 'password'), user.username);
        store.accounts.setPassword(user.id, await hashPassword(pw.password));
        // As the admin page's reset: the account may be compromised, so its sessions and API tokens end with it.
        const ended = store.accounts.signOutEverywhere(user.id);
        store.audit.record(null, 'user.password.reset', user.username, { ...ended, via: 'cli' });
        console.log(pw.generated ? `new password for ${user.username}: ${pw.password}` : `password of ${user.username} changed`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const user = findUser(store, username);
        store.accounts.setDisabled(user.id, action === 'disable');
        store.audit.record(null, `user.${action}`, user.username, { via: 'cli' });
        console.log(`${user.username} ${action}d`);
        return 0;
      }
      default:
        throw new UsageError(usage);
    }
  } finally {
    store.db.close();
  }
}

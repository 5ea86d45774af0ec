import { hashPassword, randomPassword } from '../auth/password.ts';
import { passwordProblem } from '../auth/password-policy.ts';
import { roleSchema, passwordSchema, usernameSchema } from '../../shared/users.ts';
import { openCliStore } from './open-store.ts';
import { commandHelp, defineCommand, parseCommand, UsageError, usageError } from './args.ts';
import type { Store } from '../store/store.ts';

export const usersCommand = defineCommand({
  name: 'users',
  summary: 'Accounts from a shell, for when nobody can log in to the admin page. A password left out is generated and printed once.',
  usage: ['list', 'create USERNAME --role admin|lead|labeler [--password P]', 'reset-password USERNAME [--password P]', 'disable USERNAME', 'enable USERNAME'],
  options: {
    role: { type: 'string', value: 'ROLE', description: 'admin | lead | labeler (create)' },
    password: { type: 'string', value: 'P', description: 'the new password (create, reset-password)' },
  },
  positionals: 2,
});
const usage = commandHelp(usersCommand);

function password(given: string | undefined, username: string): { password: string; generated: boolean } {
  if (given === undefined) return { password: randomPassword(), generated: true };
  const checked = passwordSchema.safeParse(given);
  if (!checked.success) throw new UsageError(checked.error.issues[0]?.message ?? 'bad password');
  // The same rule as the API's: a shell is no excuse for "password123".
  const problem = passwordProblem(given, username);
  if (problem) throw new UsageError(problem);
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
  const args = parseCommand(usersCommand, argv);
  if (args === 'help') {
    console.log(usage);
    return 0;
  }
  const [action, username] = args.positionals;
  if (!action) throw usageError(usersCommand, 'which action?');
  const store = await openCliStore();
  try {
    switch (action) {
      case 'list': {
        for (const u of await store.users.list()) console.log(`${u.id}\t${u.username}\t${u.role}${u.disabled ? '\tdisabled' : ''}`);
        return 0;
      }
      case 'create': {
        const name = usernameSchema.safeParse(username);
        const role = roleSchema.safeParse(args.values.role);
        if (!name.success || !role.success) throw new UsageError(usage);
        const pw = password(args.values.password, name.data);
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
        const pw = password(args.values.password, user.username);
        await store.accounts.setPassword(user.id, await hashPassword(pw.password));
        // As the admin page's reset: the account may be compromised, so its sessions and API tokens end with it.
        const ended = await store.accounts.signOutEverywhere(user.id);
        await store.audit.record(null, 'user.password.reset', user.username, { ...ended, via: 'cli' });
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

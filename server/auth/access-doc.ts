import { accessLevels, accessPolicy, callers, defaultBodyLimit, expectedOutcome, type AccessLevel, type Caller } from './access-policy.ts';

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}

/** docs/access.md, rendered from the access table so the page cannot drift from what the server enforces. */
export function accessDoc(): string {
  const callerNames = Object.keys(callers) as Caller[];
  const lines = [
    '# Who may call what',
    '',
    '<!-- Generated from server/auth/access-policy.ts by `npx tsx server/auth/write-access-doc.ts`; test/api/access.test.ts fails if it is stale. -->',
    '',
    'Every API request passes one gate (`server/auth/access.ts`) that looks the route up in the table',
    'below before the route runs. A route that is not in the table is refused for everyone, and',
    '`test/api/access.test.ts` calls every route the app has as each caller and checks the answer.',
    'Everything except login, health and invite links needs a session cookie or `Authorization: Bearer <token>`.',
    `Request bodies larger than the limit get 413; the limit is ${size(defaultBodyLimit)} unless the table says otherwise.`,
    '',
    '## Access levels',
    '',
    '| level | who may call |',
    '| --- | --- |',
    ...(Object.entries(accessLevels) as [AccessLevel, string][]).map(([level, who]) => `| \`${level}\` | ${who} |`),
    '',
    '## Callers',
    '',
    '| caller | is |',
    '| --- | --- |',
    ...callerNames.map((c) => `| ${c} | ${callers[c]} |`),
    '',
    '## Routes',
    '',
    `| route | level | body limit | ${callerNames.join(' | ')} |`,
    `| --- | --- | --- | ${callerNames.map(() => '---').join(' | ')} |`,
    ...Object.entries(accessPolicy).map(([route, policy]) => {
      const cells = callerNames.map((c) => {
        const outcome = expectedOutcome(policy.access, c);
        return outcome === 'allow' ? 'yes' : String(outcome);
      });
      return `| \`${route}\` | ${policy.access} | ${policy.bodyLimit ? size(policy.bodyLimit) : ''} | ${cells.join(' | ')} |`;
    }),
    '',
    '`yes`: the route runs (and may still answer 400 for bad input or 404 for a missing item).',
    '401: not signed in. 403: signed in but not allowed. 404: the project (or its assignment or job) is',
    "hidden from people outside it, so they cannot even learn that it exists.",
    '',
  ];
  return lines.join('\n');
}

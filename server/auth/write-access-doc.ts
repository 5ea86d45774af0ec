import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';
import { accessDoc } from './access-doc.ts';

// `npx tsx server/auth/write-access-doc.ts` after changing the access table.
const file = join(repoRoot, 'docs', 'access.md');
writeFileSync(file, accessDoc());
console.log(`wrote ${file}`);

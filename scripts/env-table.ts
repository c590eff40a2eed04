// npm run env:table: prints the README's table of environment variables, rendered from the settings
// schema (platform/config.ts); `-- --write` puts it into README.md between its markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envTable, withEnvTable } from '../platform/env-table.js';

const readmePath = join(import.meta.dirname, '..', 'README.md');
if (process.argv.includes('--write')) {
  const before = readFileSync(readmePath, 'utf8');
  const after = withEnvTable(before);
  if (after !== before) writeFileSync(readmePath, after);
  console.log(after === before ? 'README.md: the table is up to date' : 'README.md: table of environment variables rewritten');
} else {
  console.log(envTable());
}

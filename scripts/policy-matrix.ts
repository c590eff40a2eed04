// npm run policy:matrix: writes the disclosure matrix (schema/policy/MATRIX.md and matrix.html) for
// sign-off by the security team. `npm run policy:matrix -- --check` exits 1, naming the file, when a
// checked-in rendering differs from a fresh one, so a policy change cannot land without its matrix.
import { readFileSync, writeFileSync } from 'node:fs';
import { currentMatrix, renderHtml, renderMarkdown } from '../schema/policy/matrix.js';

const matrix = await currentMatrix();
const outputs: [string, string][] = [
  ['schema/policy/MATRIX.md', renderMarkdown(matrix)],
  ['schema/policy/matrix.html', renderHtml(matrix)],
];
const check = process.argv.includes('--check');
let stale = false;
for (const [path, content] of outputs) {
  const file = new URL(`../${path}`, import.meta.url);
  if (!check) {
    writeFileSync(file, content);
    console.log(`wrote ${path} (policy ${matrix.version}, ${content.length} bytes)`);
    continue;
  }
  let current: string | null = null;
  try { current = readFileSync(file, 'utf8'); } catch { /* a missing file is as stale as a different one */ }
  if (current !== content) {
    console.error(`${path} is out of date: run \`npm run policy:matrix\` and commit the result`);
    stale = true;
  } else console.log(`${path} matches policy ${matrix.version}`);
}
if (stale) process.exit(1);

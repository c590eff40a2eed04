// Stand-ins are independent fakes (GUIDE): nothing under legacy/ may reach adapter code, directly or
// through another module, or a wrong assumption shared by the fake and the adapter could never show.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers a file imports or re-exports, static or dynamic (type-only ones too). */
export function relativeImports(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g, /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g, /^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm];
  for (const p of patterns) for (const m of source.matchAll(p)) found.push(m[1]);
  return found;
}

/** The project file a specifier names (`./x.js` is `./x.ts` on disk). */
function resolveImport(from: string, specifier: string): string {
  return resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
}

/** Every chain of relative imports from `start` that ends in adapters/ (empty when none). */
function pathsToAdapters(start: string): string[][] {
  const bad: string[][] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    let source: string;
    try { source = readFileSync(file, 'utf8'); } catch { return; } // not a TypeScript file of ours (json, data)
    for (const spec of relativeImports(source)) {
      const target = resolveImport(file, spec);
      const rel = relative(root, target);
      if (rel.startsWith('adapters/')) bad.push([...chain, rel]);
      else if (!rel.startsWith('..')) walk(target, [...chain, rel]);
    }
  };
  walk(start, [relative(root, start)]);
  return bad;
}

describe('stand-ins are independent of the adapters', () => {
  const files = tsFiles(join(root, 'legacy'));

  it('finds the stand-in sources to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s reaches no adapter code, directly or through other modules', (_name, file) => {
    expect(pathsToAdapters(file).map((chain) => chain.join(' → '))).toEqual([]);
  });

  it('recognises every way a module can be imported', () => {
    const source = [
      "import { a } from '../adapters/normalise.js';",
      "import type { B } from '../../adapters/sql.js';",
      "export { c } from '../adapters/x.js';",
      "const d = await import('../adapters/y.js');",
      "import '../adapters/side-effect.js';",
      "import { e } from 'node:fs';",
    ].join('\n');
    expect(relativeImports(source)).toEqual(['../adapters/normalise.js', '../../adapters/sql.js', '../adapters/x.js', '../adapters/y.js', '../adapters/side-effect.js']);
  });
});

// Each agency's system has one door: only adapters/<agency>/ and subgraphs/<agency>/ may reach that
// agency's adapter (its client, its config, its credentials). Identity, audit, the gateway and every
// other module ask the agency's subgraph instead. Checked over the module graph: every static and
// dynamic import of every source file, resolved to a path. The stand-ins (legacy/) and tests fake or
// exercise adapters and are outside the rule.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSubgraphs, SUBGRAPH_NAMES } from '../../subgraphs/index.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const OUTSIDE_THE_RULE = ['node_modules', 'test', 'legacy', '.git', 'bench'];
/** Processes that host one agency's subgraph and hand its client to that subgraph alone (the conformance kit serves the one it checks). */
const SUBGRAPH_HOSTS = ['platform/stack.ts', 'scripts/subgraph.ts', 'subgraphs/conformance.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return OUTSIDE_THE_RULE.includes(relative(ROOT, path)) || name.startsWith('.') ? [] : sources(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module a file imports (static, dynamic, re-export), as paths relative to the project. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"`]([^'"`]+)['"`]/g)].map((m) => m[1]);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(dirname(file), s.replace(/\.js$/, '.ts'))));
}

const agencies = SUBGRAPH_NAMES.filter((n) => statSync(join(ROOT, 'adapters', n), { throwIfNoEntry: false })?.isDirectory());

describe('agency sovereignty', () => {
  it('knows the agencies whose adapters it guards: every agency module of the registry', async () => {
    expect(agencies.length).toBeGreaterThanOrEqual(5);
    // Derived from the registry, so an agency added with one line is guarded without editing this test.
    const declared = (await loadSubgraphs()).filter((m) => m.agency).map((m) => m.name);
    expect(agencies).toEqual(declared);
  });

  it('lets no module outside adapters/<agency>/ and subgraphs/<agency>/ import that agency\'s adapter', () => {
    const violations: string[] = [];
    let allowed = 0;
    for (const file of sources(ROOT)) {
      const from = relative(ROOT, file);
      for (const target of importsOf(file)) {
        const agency = agencies.find((a) => target.startsWith(`adapters/${a}/`));
        if (!agency) continue;
        if (from.startsWith(`adapters/${agency}/`) || from.startsWith(`subgraphs/${agency}/`)) allowed++;
        else violations.push(`${from} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
    // Not vacuous: the scan does see each agency's subgraph importing its own adapter.
    expect(allowed).toBeGreaterThanOrEqual(agencies.length);
  });

  it('lets no module but an agency\'s own subgraph and its hosts build a subgraph\'s client', () => {
    const violations = sources(ROOT).map((f) => relative(ROOT, f))
      .filter((f) => !SUBGRAPH_HOSTS.includes(f) && !f.startsWith('adapters/') && !/^subgraphs\/[^/]+\/index\.ts$/.test(f))
      .filter((f) => /\.createClient\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(violations).toEqual([]);
  });

  it('keeps every legacy setting away from the gateway: it reads no agency system configuration', () => {
    const gatewayFiles = [...sources(join(ROOT, 'gateway')), join(ROOT, 'scripts/gateway.ts')];
    const prefixes = agencies.map((a) => a.toUpperCase().replace(/-/g, '_')).join('|');
    const legacySettings = new RegExp(`\\b(${prefixes})_(URL|DATABASE_URL|CLIENT_ID|CLIENT_SECRET|AUTH_URL|DIR|EXPORT_DIR)\\b`);
    expect(legacySettings.test('process.env.PROBATION_CLIENT_SECRET')).toBe(true); // not vacuous
    expect(gatewayFiles.filter((f) => legacySettings.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f))).toEqual([]);
  });
});

describe('the registry is the one list', () => {
  /** Where agency names may appear: their own folders, the policy data, and the registry line itself. */
  const OWN = (file: string, agency: string) => [`adapters/${agency}/`, `subgraphs/${agency}/`, `legacy/${agency}/`, `schema/${agency}/`, `reference/`].some((p) => file.startsWith(p));
  const ALLOWED = (file: string) => file.startsWith('schema/policy/') || file === 'subgraphs/index.ts'
    // Benchmark probes aim at one named subgraph on purpose; they are not part of the running product.
    || file === 'scripts/edge-cpu.ts';

  it('names no agency in product code outside that agency\'s own folders and the policy data', () => {
    const violations: string[] = [];
    for (const file of sources(ROOT).map((f) => relative(ROOT, f))) {
      if (ALLOWED(file)) continue;
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) return; // comments may explain with examples
        for (const agency of agencies) {
          if (OWN(file, agency)) continue;
          if (new RegExp(`['"\`]${agency}['"\`=]`).test(line)) violations.push(`${file}:${i + 1} names "${agency}": ${line.trim().slice(0, 100)}`);
        }
      });
    }
    expect(violations).toEqual([]);
  });

  it('would notice a name in a string (the check is not vacuous)', () => {
    const probe = `const owner = '${agencies[0]}';`;
    expect(new RegExp(`['"\`]${agencies[0]}['"\`=]`).test(probe)).toBe(true);
  });
});

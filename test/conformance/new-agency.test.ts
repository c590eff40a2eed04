// The scaffold's promise, tested as an agency would use it: in a temporary copy of the project (its
// tracked and new files, node_modules linked), `npm run new-agency -- kitprobe` writes the agency and its
// one registry line, and then the whole project type-checks, the supergraph composes with it, the
// conformance kit passes it (composition, policy coverage, builder, handshake, error hygiene), its own
// generated tests pass, the sovereignty rules still hold, and its settings join the README's table.
// Without its policy table, the kit names every one of its fields.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const SLUG = 'kitprobe';
let copy: string;

interface Run { code: number | null; out: string }
function run(cmd: string, args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: copy, env: { ...process.env, NODE_ENV: 'test', APOLLO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    // eslint-disable-next-line no-control-regex
    child.on('close', (code) => done({ code, out: out.replace(/\x1b\[[0-9;]*m/g, '') }));
  });
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'new-agency-'));
  const files = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    cpSync(join(ROOT, f), join(copy, f));
  }
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(copy, 'node_modules'));
});

afterAll(() => { if (copy) rmSync(copy, { recursive: true, force: true }); });

describe('npm run new-agency', () => {
  it('writes an agency that compiles, composes, conforms and passes its own tests, with one registry line', async () => {
    const registryBefore = readFileSync(join(copy, 'subgraphs/index.ts'), 'utf8');
    const made = await run('npx', ['tsx', 'scripts/new-agency.ts', SLUG]);
    expect(made.code, made.out).toBe(0);
    for (const f of ['adapters/kitprobe/client.ts', 'adapters/kitprobe/config.ts', 'adapters/kitprobe/mapping.ts', 'adapters/kitprobe/wire.ts',
      'subgraphs/kitprobe/index.ts', 'subgraphs/kitprobe/schema.graphql', 'subgraphs/kitprobe/resolvers.ts', 'subgraphs/kitprobe/loaders.ts',
      'legacy/kitprobe/server.ts', 'schema/policy/fields/kitprobe.ts', 'test/adapters/kitprobe/client.test.ts']) expect(existsSync(join(copy, f)), f).toBe(true);
    // The registry changes by exactly one line; nothing else outside the new folders and the policy table.
    const after = readFileSync(join(copy, 'subgraphs/index.ts'), 'utf8').split('\n');
    const before = registryBefore.split('\n');
    expect(after.length).toBe(before.length + 1);
    expect(after.filter((l) => !before.includes(l))).toEqual([`  '${SLUG}',`]);

    // Type-checking the whole project runs beside the rest (the slowest step).
    const typecheck = run('npx', ['tsc', '--noEmit', '-p', '.']);
    const composed = await run('npx', ['tsx', 'scripts/compose.ts']);
    expect(composed.code, composed.out).toBe(0);
    expect(readFileSync(join(copy, 'schema/supergraph.graphql'), 'utf8')).toMatch(/type KitprobeRecord[^{]*@join__type\(graph: KITPROBE, key: "ref"\)/);

    const conformance = await run('npx', ['tsx', 'scripts/conformance.ts', SLUG, '--no-contracts']);
    expect(conformance.code, conformance.out).toBe(0);
    expect(conformance.out).toMatch(/PASS {2}policy coverage[\s\S]*PASS {2}builder[\s\S]*PASS {2}handshake[\s\S]*PASS {2}error hygiene/);

    // Its settings come into the README's table from its adapter, through the registry.
    const table = await run('npx', ['tsx', 'scripts/env-table.ts', '--write']);
    expect(table.code, table.out).toBe(0);
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain('| `KITPROBE_URL` |');

    const tests = await run('npx', ['vitest', 'run', `test/adapters/${SLUG}`, 'test/architecture/sovereignty.test.ts', 'test/architecture/provenance.test.ts', 'test/platform/config.test.ts']);
    expect(tests.code, tests.out).toBe(0);
    expect(tests.out).toMatch(/Test Files\s+6 passed/);

    const tsc = await typecheck;
    expect(tsc.code, tsc.out).toBe(0);

    // Refuses to write over an agency that exists.
    const again = await run('npx', ['tsx', 'scripts/new-agency.ts', SLUG]);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/exists already/);

    // Without the table file, the kit names every field of the agency, not only the missing file.
    rmSync(join(copy, 'schema/policy/fields/kitprobe.ts'));
    const uncovered = await run('npx', ['tsx', 'scripts/conformance.ts', SLUG, '--no-contracts']);
    expect(uncovered.code).toBe(1);
    expect(uncovered.out).toMatch(/FAIL {2}policy coverage/);
    expect(uncovered.out).toContain('no field table for subgraph "kitprobe"');
    for (const f of ['Query.kitprobeRecord', 'KitprobeRecord.ref', 'KitprobeRecord.status', 'KitprobeRecord.updatedOn', 'KitprobeRecord.provenance']) expect(uncovered.out).toContain(`kitprobe ${f}: no policy entry`);
  }, 300_000);
});

// The one settings schema: every process reads it, a bad value stops a process naming the variable,
// and the README's table of environment variables is the schema's own rendering.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings, pickSettings } from '../../platform/config.js';
import { envTable, withEnvTable } from '../../platform/env-table.js';
import { SUBGRAPH_NAMES } from '../../subgraphs/index.js';
import { DEFAULT_LIMITS } from '../../gateway/limits.js';
import { DEFAULT_RATE_LIMITS } from '../../gateway/rate-limit.js';
import { DEFAULT_MAX_REPRESENTATIONS } from '../../subgraphs/harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((f) => {
    const p = join(dir, f);
    return statSync(join(ROOT, p)).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the settings schema', () => {
  it('has the embedded defaults when nothing is set', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({ GATEWAY_PORT: 4000, GATEWAY_SUBGRAPH_TIMEOUT_MS: 5000, GATEWAY_BREAKER_FAILURES: 5, SHUTDOWN_DRAIN_MS: 10_000, LOG_LEVEL: 'info', production: false, subgraphUrls: {} });
    expect(s.GATEWAY_RATE_LIMIT_USER).toEqual({ n: 300, s: 60 });
  });

  it('has the same edge defaults as the modules that enforce them', () => {
    const s = loadSettings({});
    expect({
      maxBodyBytes: s.GATEWAY_MAX_BODY_BYTES, maxJsonDepth: s.GATEWAY_MAX_JSON_DEPTH, maxTokens: s.GATEWAY_MAX_TOKENS, maxDepth: s.GATEWAY_MAX_DEPTH, maxAliases: s.GATEWAY_MAX_ALIASES,
      maxDirectives: s.GATEWAY_MAX_DIRECTIVES, maxListArgument: s.GATEWAY_MAX_LIST_ARGUMENT, maxStringArgument: s.GATEWAY_MAX_STRING_ARGUMENT, maxCost: s.GATEWAY_MAX_COST, assumedListSize: s.GATEWAY_ASSUMED_LIST_SIZE,
    }).toEqual(DEFAULT_LIMITS);
    const r = DEFAULT_RATE_LIMITS;
    expect([s.GATEWAY_RATE_LIMIT_USER, s.GATEWAY_RATE_LIMIT_AGENCY, s.GATEWAY_DISTINCT_SUBJECTS, s.GATEWAY_RATE_LIMIT_PREFIX]).toEqual([
      { n: r.perUser.requests, s: r.perUser.windowSeconds }, { n: r.perAgency.requests, s: r.perAgency.windowSeconds }, { n: r.distinctSubjects.perUser, s: r.distinctSubjects.windowSeconds }, r.keyPrefix,
    ]);
    expect(s.SUBGRAPH_MAX_REPRESENTATIONS).toBe(DEFAULT_MAX_REPRESENTATIONS);
  });

  it('refuses bad values with one error naming every variable, what it expects and what it got', () => {
    let err: unknown;
    try {
      loadSettings({ GATEWAY_SUBGRAPH_TIMEOUT_MS: 'soon', GATEWAY_BREAKER_FAILURES: '0', LOG_LEVEL: 'loud', GATEWAY_RATE_LIMIT_USER: '300 per minute', POLICE_SUBGRAPH_URL: 'ftp://x' });
    } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = Object.fromEntries((err as ConfigError).problems.map((p) => [p.variable, p.message]));
    expect(problems).toEqual({
      GATEWAY_SUBGRAPH_TIMEOUT_MS: 'must be a whole number from 50 to 120000, got "soon"',
      GATEWAY_BREAKER_FAILURES: 'must be a whole number from 1 to 1000, got "0"',
      LOG_LEVEL: 'must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      GATEWAY_RATE_LIMIT_USER: 'must read N/S (N per S seconds, e.g. 300/60), got "300 per minute"',
      POLICE_SUBGRAPH_URL: 'must be a http or https URL, got "ftp://x"',
    });
  });

  it('never echoes a secret it refuses', () => {
    expect(() => pickSettings({ GATEWAY_ASSERTION_KEY: 'super-secret-not-json', AUDIT_DATABASE_URL: 'mysql://u:hunter2@db' }, ['GATEWAY_ASSERTION_KEY', 'AUDIT_DATABASE_URL']))
      .toThrow(/GATEWAY_ASSERTION_KEY must hold a private JWK as JSON; AUDIT_DATABASE_URL must be a postgres or postgresql URL \(/);
    try { pickSettings({ AUDIT_DATABASE_URL: 'mysql://u:hunter2@db' }, ['AUDIT_DATABASE_URL']); } catch (e) { expect((e as Error).message).not.toContain('hunter2'); }
  });

  it('is the README table of environment variables (npm run env:table -- --write renders it)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(envTable());
    expect(withEnvTable(readme)).toBe(readme);
  });

  it('lists every variable the code reads', () => {
    const table = envTable();
    const read = new Set<string>();
    for (const file of ['gateway', 'platform', 'scripts', 'audit', 'auth', 'adapters', 'subgraphs', 'bench'].flatMap(sources)) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]{2,})\b|\b(?:int|positiveInt|rate|perRole|required|number|text)\(\s*env\s*,\s*'([A-Z][A-Z0-9_]{2,})'/g)) read.add(m[1] ?? m[2]);
    }
    const ignored = new Set(['APOLLO_TELEMETRY_DISABLED']);
    const missing = [...read].filter((v) => !ignored.has(v) && !table.includes(`\`${v}\``) && !/_(URL|TIMEOUT_MS)$/.test(v) === false ? false : !ignored.has(v) && !table.includes(`\`${v}\``));
    expect(missing).toEqual([]);
  });
});

describe('npm start', () => {
  it('refuses to start on a bad setting it used to ignore, naming it, before starting anything', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GATEWAY_BREAKER_FAILURES: 'many', GATEWAY_PORT: '0' },
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b; });
    child.stderr.on('data', (b: Buffer) => { out += b; });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(out).toContain('GATEWAY_BREAKER_FAILURES must be a whole number from 1 to 1000, got "many"');
    expect(out).not.toContain('justice-graph is up');
  }, 60_000);
});

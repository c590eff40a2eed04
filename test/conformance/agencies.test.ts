// The conformance kit (subgraphs/conformance.ts, `npm run conformance -- <slug>`) run for every
// registered subgraph, so an agency that joins is held to it from its first commit. The contract tests
// the kit would run are their own files under test/contracts/. Audit is left out: it is the platform's
// reader of the audit store and is served only beside that store (test/audit/).
import { describe, expect, it } from 'vitest';
import { leaksIn, report, runConformance } from '../../subgraphs/conformance.js';
import { SUBGRAPH_NAMES } from '../../subgraphs/index.js';

const KIT_FOR = (SUBGRAPH_NAMES as readonly string[]).filter((n) => n !== 'audit');

describe.each(KIT_FOR)('conformance of %s', (slug) => {
  it('passes every check of the kit', async () => {
    const results = await runConformance(slug);
    const failed = results.filter((r) => !r.ok);
    expect(failed, report(slug, results)).toEqual([]);
    expect(results.map((r) => r.check)).toEqual(['registered', 'composition', 'policy coverage', 'builder', 'handshake', 'error hygiene', 'contract tests']);
  }, 120_000);
});

describe('the kit can fail', () => {
  it('refuses a slug that is not in the registry, saying how to add it', async () => {
    const [r] = await runConformance('not-registered');
    expect(r).toMatchObject({ check: 'registered', ok: false });
    expect(r.details[0]).toMatch(/subgraphs\/index\.ts/);
  });

  it('finds a stack, a host, SQL, a path or a connection code in an answer', () => {
    expect(leaksIn({ errors: [{ message: 'x', extensions: { stacktrace: ['Error: x', '    at f (file.ts:1:1)'] } }] })).toContain('a stack trace');
    expect(leaksIn({ errors: [{ message: 'connect to 127.0.0.1:5432 failed' }] })).toContain('a host or port');
    expect(leaksIn({ errors: [{ message: 'SELECT * FROM nominals WHERE pnc = $1' }] })).toContain('SQL');
    expect(leaksIn({ errors: [{ message: 'cannot read /work/data/x.csv' }] })).toContain('a file path');
    expect(leaksIn({ errors: [{ message: 'fetch failed: ECONNREFUSED' }] })).toContain('a connection error code');
    expect(leaksIn({ errors: [{ message: 'police system is unavailable', extensions: { code: 'SOURCE_UNAVAILABLE', agency: 'police' } }] })).toEqual([]);
  });
});

// The prosecution adapter against its stand-in: one search per batch of keys, typed errors that name
// the agency and nothing of the system, one unreadable file failing only itself, and the breaker
// opening on the system's own failures.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { caseFileKey, ProsecutionClient } from '../../../adapters/prosecution/client.js';
import { prosecutionConfig } from '../../../adapters/prosecution/config.js';
import type { ProsecutionCaseFile } from '../../../adapters/prosecution/mapping.js';
import { DEFAULT_RESILIENCE } from '../../../adapters/resilience.js';
import { OPERATIONS, startStandIn } from '../../../legacy/prosecution/server.js';
import { generatePopulation } from '../../../legacy/population.js';
import type { StandIn } from '../../../legacy/faults.js';
import { createLoaders } from '../../../subgraphs/prosecution/loaders.js';

const population = generatePopulation({ size: 300 });
let standIn: StandIn;
const client = (over: Partial<typeof DEFAULT_RESILIENCE> = {}, maxBatch = 1000) =>
  new ProsecutionClient({ url: standIn.location, timeoutMs: 1000, maxBatch, resilience: { ...DEFAULT_RESILIENCE, timeoutMs: 1000, retries: 0, ...over } });

async function failure(p: Promise<unknown>): Promise<AdapterError> {
  try { await p; } catch (err) { return err as AdapterError; }
  throw new Error('expected the call to fail');
}

beforeAll(async () => { standIn = await startStandIn({ population }); });
afterAll(async () => standIn?.close());
afterEach(() => { standIn.faults.reset(); standIn.requests.reset(); });

describe('prosecution client', () => {
  it('finds case files by URN, ASN and PNC in one call', async () => {
    const c = population.courts.cases[0];
    const pnc = population.people[c.personIndex].pnc!;
    const found = await client().search([caseFileKey('URN', c.urn)!, caseFileKey('ASN', c.asn)!, caseFileKey('PNC', pnc)!]);
    expect(standIn.requests.get(OPERATIONS.search)).toBe(1);
    const urns = found.map((f) => (f.record as ProsecutionCaseFile).urn);
    expect(urns).toContain(c.urn);
    // Every case of the person with that PNC, and no other.
    const expected = population.courts.cases.filter((x) => population.people[x.personIndex].pnc === pnc || x.urn === c.urn).map((x) => x.urn);
    expect(urns.sort()).toEqual([...new Set(expected)].sort());
  });

  it('a page of 100 cases costs one search through the loader, whatever its size', async () => {
    const loaders = createLoaders(client(), 'req-1');
    const cases = population.courts.cases.slice(0, 100);
    const files = await Promise.all(cases.map((c) => loaders.byKey.load(caseFileKey('URN', c.urn)!)));
    expect(files.map((f) => (f[0] as ProsecutionCaseFile).urn)).toEqual(cases.map((c) => c.urn));
    expect(standIn.requests.get(OPERATIONS.search)).toBe(1);
  });

  it('splits a batch larger than the system takes, and a key it does not hold is an empty list', async () => {
    const loaders = createLoaders(client({}, 10), 'req-2');
    const lists = await Promise.all([...population.courts.cases.slice(0, 25).map((c) => loaders.byKey.load(caseFileKey('URN', c.urn)!)), loaders.byKey.load('URN:NOSUCHCASE')]);
    expect(lists.at(-1)).toEqual([]);
    expect(standIn.requests.get(OPERATIONS.search)).toBe(3);
  });

  it('never sends a PNC whose check character is wrong', () => {
    expect(caseFileKey('PNC', '2018/0100006B')).toBeNull();
  });

  it('an unreadable file is BAD_SOURCE_DATA in its place; the other files of the batch still read', async () => {
    const [a, b] = population.courts.cases;
    standIn.faults.set({ malformedRecords: [a.urn] });
    const found = await client().search([caseFileKey('ASN', a.asn)!, caseFileKey('URN', b.urn)!]);
    const bad = found.find((f) => f.record instanceof AdapterError)!;
    expect((bad.record as AdapterError).code).toBe('BAD_SOURCE_DATA');
    expect(bad.keys).toContain(caseFileKey('ASN', a.asn));
    expect(found.some((f) => !(f.record instanceof AdapterError) && f.record.urn === b.urn)).toBe(true);
  });

  it('a system that is down is SOURCE_UNAVAILABLE naming the agency, with no host, path or status', async () => {
    standIn.faults.set({ down: true });
    const err = await failure(client().search(['URN:X']));
    expect(err).toBeInstanceOf(AdapterError);
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toBe('prosecution system is unavailable');
    expect(JSON.stringify(err.extensions)).not.toMatch(/127\.0\.0\.1|case-files|503/);
  });

  it('a garbled answer is BAD_SOURCE_DATA; a slow one is SOURCE_TIMEOUT', async () => {
    standIn.faults.set({ malformedRate: 1 });
    expect((await failure(client().search(['URN:X']))).code).toBe('BAD_SOURCE_DATA');
    standIn.faults.set({ malformedRate: 0, latencyMs: 300 });
    expect((await failure(client({ timeoutMs: 50 }).search(['URN:X']))).code).toBe('SOURCE_TIMEOUT');
  });

  it('opens its breaker after consecutive system failures: the next call fails at once without reaching the system', async () => {
    const c = client({ breakerFailures: 2, breakerCooldownMs: 60_000 });
    standIn.faults.set({ errorRate: 1 });
    await failure(c.search(['URN:X']));
    await failure(c.search(['URN:X']));
    standIn.requests.reset();
    standIn.faults.reset();
    expect((await failure(c.search(['URN:X']))).code).toBe('SOURCE_UNAVAILABLE');
    expect(standIn.requests.get(OPERATIONS.search)).toBe(0);
  });

  it('health answers when the system does, and fails typed when it does not', async () => {
    await expect(client().health()).resolves.toBeUndefined();
    standIn.faults.set({ down: true });
    expect((await failure(client().health())).code).toBe('SOURCE_UNAVAILABLE');
  });

  it('reads its settings from PROSECUTION_*, and insists on a URL in production', () => {
    expect(prosecutionConfig({ PROSECUTION_URL: 'http://cms.invalid', PROSECUTION_MAX_BATCH: '50' })).toMatchObject({ url: 'http://cms.invalid', maxBatch: 50 });
    expect(() => prosecutionConfig({ NODE_ENV: 'production' })).toThrow(/PROSECUTION_URL/);
    expect(() => prosecutionConfig({ PROSECUTION_MAX_BATCH: 'lots' })).toThrow(/PROSECUTION_MAX_BATCH/);
  });
});

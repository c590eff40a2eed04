import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, constants, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { createVictimsClient, type VictimResult, type VictimsClient } from '../../../adapters/victims/client.js';
import { loadConfig } from '../../../adapters/victims/config.js';
import { DEFAULT_RESILIENCE } from '../../../adapters/resilience.js';
import type { Victim } from '../../../adapters/victims/mapping.js';
import { generatePopulation } from '../../../legacy/population.js';
import { startStandIn, type VictimsStandIn } from '../../../legacy/victims/server.js';
import { createLoaders } from '../../../subgraphs/victims/loaders.js';

const fixtures = fileURLToPath(new URL('../../fixtures/victims/', import.meta.url));
const population = generatePopulation({ size: 300 });

const isError = (v: VictimResult | null | undefined): v is AdapterError => v instanceof AdapterError;
async function failure(p: Promise<unknown>): Promise<AdapterError> {
  try {
    await p;
  } catch (err) {
    return err as AdapterError;
  }
  throw new Error('expected the call to fail');
}

describe('victims client on the export fixtures', () => {
  const client = createVictimsClient({ VICTIMS_EXPORT_DIR: fixtures });

  it('reads the newest export, never an older one or a half-written temporary file', async () => {
    const v = (await client.victimsById(['V0000101'])).get('V0000101') as Victim;
    expect(v.address).toEqual({ lines: ['Flat 2', '14, Victoria Road'], town: 'SHEFFIELD', postcode: 'S1 2AB' });
  });

  it('joins the victims CSV and the VCS records by victim id', async () => {
    const v = (await client.victimsById(['V0000101'])).get('V0000101') as Victim;
    expect(v).toMatchObject({
      name: { fullName: "Siobhan Mary O'Brien-Smith" },
      dateOfBirth: '1979-07-04',
      contactScheme: { optedIn: true, decisionDate: '2026-10-02' },
      contactPreferences: { method: 'EMAIL', email: 'siobhan.obrien@example.org', phone: null },
      liaisonOfficer: 'VLO012',
    });
  });

  it('lists the victims of a case, leaving out closed records', async () => {
    const byCase = await client.victimsByCase(['01ZD0303208', '01zd0303208', '99XX9999999']);
    const ids = (urn: string) => byCase.get(urn)!.map((v) => (isError(v) ? `error:${v.extensions.recordId}` : v.id));
    expect(ids('01ZD0303208')).toEqual(['V0000101', 'V0000102', 'error:V0000103']);
    expect(ids('01zd0303208')).toEqual(ids('01ZD0303208'));
    expect(ids('99XX9999999')).toEqual([]);
  });

  it('gives BAD_SOURCE_DATA for a malformed row and for a cut-short VCS record, naming only that victim', async () => {
    const byCase = await client.victimsByCase(['01YZ0001234']);
    const [wright, murphy, hughes] = byCase.get('01YZ0001234')!;
    expect(isError(wright) && wright.code).toBe('BAD_SOURCE_DATA');
    expect(isError(wright) && wright.extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', agency: 'victims', recordId: 'V0000105' });
    expect(isError(hughes) && hughes.extensions.recordId).toBe('V0000107');
    expect(murphy).toMatchObject({ id: 'V0000106', contactScheme: null, contactPreferences: null, liaisonOfficer: null });
  });

  it('does not expose a victim the CSV does not hold, even when the VCS export has a record for it', async () => {
    expect((await client.victimsById(['V0000199', 'V0000104'])).size).toBe(0);
  });
});

describe('victims client against the stand-in', () => {
  let standIn: VictimsStandIn;
  let client: VictimsClient;

  beforeAll(async () => {
    standIn = await startStandIn({ population });
    // One client meets every fault in turn here, so its breaker must not open (tested in test/adapters/resilience.test.ts).
    client = createVictimsClient({ ...standIn.env, VICTIMS_BREAKER_FAILURES: '1000' });
  });
  afterEach(() => standIn.faults.reset());
  afterAll(async () => {
    await client.close();
    await standIn.close();
  });

  it('scans the victims updated since a date in pages cut from one read of the exports, unreadable ones by id and reason', async () => {
    const since = '2026-01-01';
    const broken = population.victims[5].victimId;
    standIn.faults.set({ malformedRecords: [broken] });
    const expected = population.victims.filter((v) => v.victimId === broken || (v.vcsDecisionDate ?? '2000-01-01') >= since);
    expect(expected.length).toBeLessThan(population.victims.length);
    await client.snapshot();
    const reads = client.reads;
    let after: string | null = null, pages = 0, counted = 0;
    const unreadable: { localId: string; reason: string }[] = [];
    do {
      const page = await client.scanSince(since, after, 20);
      pages++;
      counted += page.unlinked;
      unreadable.push(...page.unreadable);
      after = page.after;
    } while (after && pages < 100);
    expect(counted + unreadable.length).toBe(expected.length);
    expect(unreadable).toEqual([{ localId: broken.toUpperCase(), reason: expect.stringMatching(/^expected .* in /) }]);
    expect(pages).toBeGreaterThan(1);
    expect(client.reads).toBe(reads); // no file read again for a page
  });

  it('writes both exports into its folder, leaving no temporary files', () => {
    expect(readdirSync(standIn.dir).sort()).toEqual(['VCS_20261101.dat', 'VICTIMS_20261101.csv']);
    expect(standIn.env).toEqual({ VICTIMS_EXPORT_DIR: standIn.dir });
  });

  it('maps every victim of the population as the victim contact system holds them', async () => {
    const ids = population.victims.map((v) => v.victimId);
    const found = await client.victimsById(ids);
    expect(found.size).toBe(ids.length);
    for (const truth of population.victims) {
      const v = found.get(truth.victimId) as Victim;
      expect(v).toMatchObject({
        caseUrn: truth.caseUrn,
        dateOfBirth: truth.dateOfBirth,
        address: { lines: [truth.address.line1], postcode: truth.address.postcode },
        contactScheme: { optedIn: truth.vcsOptedIn, decisionDate: truth.vcsDecisionDate },
        contactPreferences: { method: truth.contactMethod, email: truth.email, phone: truth.phone },
        liaisonOfficer: truth.liaisonOfficer,
      });
      expect(v.name.forenames).toEqual([truth.forename]);
    }
  });

  it('answers N case lookups in one loader tick with one read of each export, and none while the exports are unchanged', async () => {
    await standIn.rewrite();
    const urns = [...new Set(population.victims.map((v) => v.caseUrn))].slice(0, 25);
    const before = client.reads;
    const loaders = createLoaders(client, 'req-1');
    const lists = await Promise.all(urns.map((u) => loaders.victimsByCase.load(u)));
    expect(lists.every((l) => l.length > 0)).toBe(true);
    expect(client.reads - before).toBe(2);

    const again = createLoaders(client, 'req-2');
    await Promise.all([...urns.map((u) => again.victimsByCase.load(u)), again.victimById.load(population.victims[0].victimId)]);
    expect(client.reads - before).toBe(2);

    const written = standIn.requests.get('WRITE VICTIMS export');
    await standIn.rewrite();
    expect(standIn.requests.get('WRITE VICTIMS export')).toBe(written + 1);
    await Promise.all(urns.map((u) => createLoaders(client, 'req-3').victimsByCase.load(u)));
    expect(client.reads - before).toBe(4);
  });

  it('gives BAD_SOURCE_DATA for the malformed victims of an export and still maps the rest', async () => {
    standIn.faults.set({ malformedRate: 0.2 });
    const found = await client.victimsById(population.victims.map((v) => v.victimId));
    const bad = [...found.values()].filter(isError);
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.length).toBeLessThan(found.size / 2);
    for (const err of bad) {
      expect(err.code).toBe('BAD_SOURCE_DATA');
      expect(err.message).not.toMatch(/@|07700|Road|Street|Lane/);
    }
    expect([...found.values()].filter((v) => !isError(v)).length).toBe(found.size - bad.length);
  });

  it('refuses the whole export with BAD_SOURCE_DATA when the export job stopped part way', async () => {
    standIn.faults.set({ errorRate: 1 });
    const err = await failure(client.victimsByCase([population.victims[0].caseUrn]));
    expect(err).toMatchObject({ code: 'BAD_SOURCE_DATA', operation: 'read VICTIMS export' });
    expect(err.detail).toMatch(/trailer declares \d+ rows, file holds \d+/);
  });

  it('gives SOURCE_UNAVAILABLE without the folder path when the current export is missing, and recovers', async () => {
    standIn.faults.set({ down: true });
    const err = await failure(client.victimsByCase([population.victims[0].caseUrn]));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).not.toContain(standIn.dir);
    await expect(client.health()).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    standIn.faults.reset();
    await client.health();
    expect((await client.victimsByCase([population.victims[0].caseUrn])).get(population.victims[0].caseUrn)!.length).toBeGreaterThan(0);
  });
});

describe('victims client configuration and failures', () => {
  it('gives SOURCE_UNAVAILABLE without the path when the export folder does not exist', async () => {
    const dir = join(tmpdir(), 'victims-no-such-folder-4242');
    const err = await failure(createVictimsClient({ VICTIMS_EXPORT_DIR: dir }).victimsByCase(['01ZD0303208']));
    expect(err).toMatchObject({ code: 'SOURCE_UNAVAILABLE', agency: 'victims' });
    expect(err.message).not.toContain(dir);
    expect(JSON.stringify(err)).not.toContain(dir);
  });

  it('gives SOURCE_UNAVAILABLE when no export folder is configured, and refuses to start without one in production', async () => {
    expect((await failure(createVictimsClient({}).victimsById(['V0000001']))).code).toBe('SOURCE_UNAVAILABLE');
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('VICTIMS_EXPORT_DIR must be set in production');
    expect(loadConfig({ VICTIMS_EXPORT_DIR: '/exports' })).toEqual({ exportDir: '/exports', timeoutMs: 3000, resilience: DEFAULT_RESILIENCE });
    expect(() => loadConfig({ VICTIMS_EXPORT_DIR: '/exports', VICTIMS_TIMEOUT_MS: 'soon' })).toThrow('VICTIMS_TIMEOUT_MS must be a positive integer');
  });

  it.skipIf(process.platform === 'win32')('gives SOURCE_TIMEOUT when an export cannot be read in time, as on a stuck share', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'victims-stuck-'));
    const csv = join(dir, 'VICTIMS_20261101.csv');
    writeFileSync(join(dir, 'VCS_20261101.dat'), '');
    // A named pipe with no writer: opening it for reading blocks, as a read from a hung network share does.
    execFileSync('mkfifo', [csv]);
    try {
      const client = createVictimsClient({ VICTIMS_EXPORT_DIR: dir, VICTIMS_TIMEOUT_MS: '150' });
      const err = await failure(client.victimsByCase(['01ZD0303208']));
      expect(err).toMatchObject({ code: 'SOURCE_TIMEOUT', operation: 'read VICTIMS export' });
    } finally {
      // Release the blocked reader so that no thread stays stuck in open().
      closeSync(openSync(csv, constants.O_WRONLY | constants.O_NONBLOCK));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removes the temporary folder it created on close, and leaves a given folder in place', async () => {
    const own = await startStandIn({ population });
    await own.close();
    expect(existsSync(own.dir)).toBe(false);

    const given = mkdtempSync(join(tmpdir(), 'victims-given-'));
    const other = await startStandIn({ population, dataDir: given });
    expect(other.dir).toBe(given);
    await other.close();
    expect(readdirSync(given)).toContain('VICTIMS_20261101.csv');
    rmSync(given, { recursive: true, force: true });
  });
});

// Each agency's data-quality report, end to end through the gateway with the stand-ins: the agency's own
// subgraph scans its records (a bounded page per legacy call), identity links them across agencies and
// counts conflicts, rejected identifiers and unreadable records. Counts go to every agency's records
// managers and the cross-agency data-quality officer; record ids only to the agency that holds them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseCro, normalisePnc } from '../../adapters/normalise.js';
import type { VictimsClient } from '../../adapters/victims/client.js';
import { nominalCreated } from '../../legacy/police/schema.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { callsPerAgency, readmeBlock, resetCounts } from '../helpers/legacy-calls.js';
import { query } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ population: { size: 400 }, logLevel: 'silent' });
}, 120_000);
afterAll(async () => stack?.close());

const REPORT = `query Report($agency: Agency!, $since: Date!) {
  dataQualityReport(agency: $agency, since: $since) {
    agency since recordsScanned agenciesNotConsulted
    conflictsByField { key count examples }
    rejectedIdentifiersByReason { key count examples }
    unreadableRecordsByReason { key count examples }
    unreadableFieldsByReason { key count examples }
  }
}`;
/** Asks as `role` of `agency`, declaring DATA_QUALITY. */
const ask = (role: string, agency: string, q: string, vars: Record<string, unknown>) => query(stack, agency, q, vars, { role, purpose: 'DATA_QUALITY' });
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const today = () => new Date().toISOString().slice(0, 10);
type Count = { key: string; count: number; examples: string[] | null };

/** Court cases the report scans: a hearing held (or listed by one held) on or after `since`. */
function casesSince(since: string) {
  const ref = stack.population.referenceDate;
  return stack.population.courts.cases.filter((c) => c.hearings.some((h, i) => (h.date <= ref || (i > 0 && c.hearings[i - 1].date <= ref)) && h.date >= since && h.date <= today()));
}

/** Police nominals the report scans: created, or arrested, on or after `since`. */
function policeSince(since: string) {
  const ref = stack.population.referenceDate;
  return stack.population.police.filter((n) => nominalCreated(n, ref).slice(0, 10) >= since || n.arrests.some((a) => a.arrestDate.slice(0, 10) >= since));
}

describe('a records manager', () => {
  it('a court records manager sees the courts\' conflicts, rejected identifiers and unreadable records, with the record ids', async () => {
    const since = addDays(today(), -300);
    const cases = casesSince(since);
    const broken = cases.slice(0, 3).map((c) => c.asn);
    stack.standIns.get('courts')!.faults.set({ malformedRecords: broken });
    try {
      resetCounts(stack);
      const r = await ask('COURTS_RECORDS_MANAGER', 'COURTS', REPORT, { agency: 'COURTS', since });
      expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
      const report = r.body.data.dataQualityReport;
      expect(report).toMatchObject({ agency: 'COURTS', since, recordsScanned: new Set(cases.map((c) => c.asn)).size, agenciesNotConsulted: [] });
      // The three unreadable cases, by why (the field, never the value), with their ASNs as examples.
      const unreadable: Count[] = report.unreadableRecordsByReason;
      expect(unreadable.reduce((n, u) => n + u.count, 0)).toBe(3);
      expect(unreadable[0].key).toMatch(/DateOfHearing/);
      expect(unreadable.flatMap((u) => u.examples ?? []).sort()).toEqual([...broken].sort());
      // Conflicts with other agencies' records of the same people: the synthetic world has them, by field.
      const conflicts: Count[] = report.conflictsByField;
      expect(conflicts.length).toBeGreaterThan(0);
      for (const c of conflicts) {
        expect(['dateOfBirth', 'surname', 'forename', 'sex', 'pnc', 'cro']).toContain(c.key);
        expect(c.examples!.length).toBeGreaterThan(0);
        expect(c.examples!.every((e) => cases.some((k) => k.asn === e))).toBe(true);
      }
      // Cost: courts once per scan page (200 cases), every other agency a bounded number of batched calls
      // (one per linking wave), however many records were scanned.
      const calls = callsPerAgency(stack);
      expect(calls.courts).toBeLessThanOrEqual(Math.ceil(cases.length / 200) + 3);
      for (const a of ['police', 'prisons', 'probation']) expect(calls[a], a).toBeLessThanOrEqual(4);
    } finally {
      stack.standIns.get('courts')!.faults.reset();
    }
  }, 60_000);

  it('a prison records manager sees the prisons\' report over the people received, one Prisoner Search call per 200 of them', async () => {
    const since = addDays(today(), -365);
    const received = stack.population.prisons.filter((o) => { const b = o.bookings[o.bookings.length - 1]; return b && b.receptionDate >= since; });
    const bad = received.filter((o) => o.pnc && !normalisePnc(o.pnc).valid);
    expect(received.length).toBeGreaterThan(0);
    resetCounts(stack);
    const r = await ask('PRISONS_RECORDS_MANAGER', 'PRISONS', REPORT, { agency: 'PRISONS', since });
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    const report = r.body.data.dataQualityReport;
    expect(report.recordsScanned).toBe(received.length);
    const rejected: Count[] = report.rejectedIdentifiersByReason.filter((c: Count) => c.key.startsWith('PNC'));
    expect(rejected.reduce((n, c) => n + c.count, 0)).toBe(bad.length);
    expect(rejected.flatMap((c) => c.examples ?? []).every((e) => bad.some((o) => o.offenderNo === e))).toBe(true);
    // The scan: one attribute search per 200 people received, plus the linking waves' batched lookups.
    const searches = stack.standIns.get('prisons')!.requests.entries().filter((e) => /attribute-search/.test(e.operation)).length;
    expect(searches).toBeLessThanOrEqual(Math.ceil(received.length / 200) + 3);
  }, 60_000);

  it('a police records manager sees the PNCs keyed with a wrong check character, by reason, with the nominal ids', async () => {
    const since = addDays(today(), -365);
    const scanned = policeSince(since);
    const bad = scanned.filter((n) => n.pnc && !normalisePnc(n.pnc).valid);
    const badCro = scanned.filter((n) => n.cro && !normaliseCro(n.cro).valid);
    // The synthetic world keys some PNCs with a wrong check character: this report is not vacuous.
    expect(bad.length).toBeGreaterThan(0);
    const broken = scanned.filter((n) => !bad.includes(n)).slice(0, 2).map((n) => n.nominalId);
    stack.standIns.get('police')!.faults.set({ malformedRecords: broken });
    try {
      resetCounts(stack);
      const r = await ask('POLICE_RECORDS_MANAGER', 'POLICE', REPORT, { agency: 'POLICE', since });
      expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
      const report = r.body.data.dataQualityReport;
      expect(report).toMatchObject({ agency: 'POLICE', since, recordsScanned: scanned.length });
      const rejected: Count[] = report.rejectedIdentifiersByReason;
      const pnc = rejected.filter((c) => c.key.startsWith('PNC: '));
      // By reason (what failed), never the number itself.
      expect(pnc.map((c) => c.key)).toContain('PNC: check character does not match');
      expect(pnc.reduce((n, c) => n + c.count, 0)).toBe(bad.length);
      expect(rejected.filter((c) => c.key.startsWith('CRO: ')).reduce((n, c) => n + c.count, 0)).toBe(badCro.length);
      for (const c of pnc) {
        expect(c.examples!.length).toBeGreaterThan(0);
        expect(c.examples!.every((e) => bad.some((n) => n.nominalId === e))).toBe(true);
      }
      for (const n of bad) expect(r.text).not.toContain(n.pnc!);
      // The two unreadable nominals, by the field and the expectation, with their ids.
      const unreadable: Count[] = report.unreadableRecordsByReason;
      expect(unreadable.reduce((n, u) => n + u.count, 0)).toBe(2);
      expect(unreadable[0].key).toMatch(/SURNAME/);
      expect(unreadable.flatMap((u) => u.examples ?? []).sort()).toEqual([...broken].sort());
      // Cost: one SELECT per 200 nominals scanned, plus the linking waves' batched queries; every other
      // agency a bounded number of batched calls, however many nominals were scanned.
      const calls = callsPerAgency(stack);
      expect(calls.police).toBeLessThanOrEqual(Math.ceil(scanned.length / 200) + 4);
      for (const a of ['courts', 'prisons', 'probation']) expect(calls[a], a).toBeLessThanOrEqual(4);
    } finally {
      stack.standIns.get('police')!.faults.reset();
    }
  }, 60_000);

  it('a narrower window scans fewer pages: police calls follow the pages, not the records', async () => {
    const wide = addDays(today(), -365), narrow = addDays(today(), -60);
    const cost = async (since: string) => {
      resetCounts(stack);
      const r = await ask('POLICE_RECORDS_MANAGER', 'POLICE', REPORT, { agency: 'POLICE', since });
      expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
      return { scanned: r.body.data.dataQualityReport.recordsScanned as number, police: callsPerAgency(stack).police };
    };
    const w = await cost(wide), n = await cost(narrow);
    expect(n.scanned).toBe(policeSince(narrow).length);
    expect(n.scanned).toBeLessThan(w.scanned);
    expect(w.police).toBeLessThanOrEqual(Math.ceil(w.scanned / 200) + 4);
    expect(n.police).toBeLessThanOrEqual(Math.ceil(n.scanned / 200) + 4);
  }, 60_000);

  it('a probation records manager sees the current cases of the delivery units, one POST /ldu-codes per 200, unreadable ones by CRN', async () => {
    const cases = stack.population.probation;
    const broken = cases.slice(0, 2).map((p) => p.crn);
    stack.standIns.get('probation')!.faults.set({ malformedRecords: broken });
    try {
      resetCounts(stack);
      const r = await ask('PROBATION_RECORDS_MANAGER', 'PROBATION', REPORT, { agency: 'PROBATION', since: addDays(today(), -90) });
      expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
      const report = r.body.data.dataQualityReport;
      expect(report).toMatchObject({ agency: 'PROBATION', recordsScanned: cases.length, agenciesNotConsulted: [] });
      const unreadable: Count[] = report.unreadableRecordsByReason;
      expect(unreadable.reduce((n, u) => n + u.count, 0)).toBe(2);
      expect(unreadable.flatMap((u) => u.examples ?? []).sort()).toEqual([...broken].sort());
      for (const u of unreadable) expect(u.key).toMatch(/^expected .* in /);
      const pages = stack.standIns.get('probation')!.requests.entries().filter((e) => e.operation === 'POST /ldu-codes').length;
      expect(pages).toBe(Math.ceil(cases.length / 200));
      const calls = callsPerAgency(stack);
      for (const a of ['police', 'courts', 'prisons']) expect(calls[a], a).toBeLessThanOrEqual(4);
    } finally {
      stack.standIns.get('probation')!.faults.reset();
    }
  }, 60_000);

  it('a victims records manager sees the unreadable victims of the current export by reason, the export read once', async () => {
    const since = addDays(today(), -365);
    const broken = stack.population.victims.slice(0, 2).map((v) => v.victimId);
    const inWindow = stack.population.victims.filter((v) => broken.includes(v.victimId) || (v.vcsDecisionDate ?? '2000-01-01') >= since);
    stack.standIns.get('victims')!.faults.set({ malformedRecords: broken });
    try {
      const client = stack.clients.get('victims') as VictimsClient;
      const reads = client.reads;
      resetCounts(stack);
      const r = await ask('VICTIMS_RECORDS_MANAGER', 'VICTIMS', REPORT, { agency: 'VICTIMS', since });
      expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
      const report = r.body.data.dataQualityReport;
      expect(report).toMatchObject({ agency: 'VICTIMS', recordsScanned: inWindow.length, conflictsByField: [], rejectedIdentifiersByReason: [] });
      const unreadable: Count[] = report.unreadableRecordsByReason;
      expect(unreadable.reduce((n, u) => n + u.count, 0)).toBe(2);
      expect(unreadable.flatMap((u) => u.examples ?? []).sort()).toEqual([...broken].sort());
      expect(unreadable[0].key).toMatch(/^expected .* in /);
      // Both export files read at most once (they changed when the fault was set), however many pages.
      expect(client.reads - reads).toBeLessThanOrEqual(2);
      // Victims are never linked: no agency holding people is asked.
      const calls = callsPerAgency(stack);
      for (const a of ['police', 'courts', 'prisons', 'probation']) expect(calls[a], a).toBe(0);
    } finally {
      stack.standIns.get('victims')!.faults.reset();
    }
  }, 60_000);

  it('another agency\'s records manager gets the police counts but not the nominal ids', async () => {
    const since = addDays(today(), -365);
    const own = (await ask('POLICE_RECORDS_MANAGER', 'POLICE', REPORT, { agency: 'POLICE', since })).body.data.dataQualityReport;
    const r = await ask('PRISONS_RECORDS_MANAGER', 'PRISONS', REPORT, { agency: 'POLICE', since });
    const other = r.body.data.dataQualityReport;
    const counts = (rep: { rejectedIdentifiersByReason: Count[] }) => rep.rejectedIdentifiersByReason.map((c) => [c.key, c.count]);
    expect(counts(other)).toEqual(counts(own));
    expect(other.rejectedIdentifiersByReason.length).toBeGreaterThan(0);
    for (const c of [...other.rejectedIdentifiersByReason, ...other.conflictsByField] as Count[]) expect(c.examples).toBeNull();
    const denied = (r.body.errors ?? []).filter((e) => e.extensions?.field === 'DataQualityCount.examples');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_AGENCY_RECORDS' });
    for (const c of own.rejectedIdentifiersByReason as Count[]) for (const id of c.examples!) expect(r.text).not.toContain(`"${id}"`);
  }, 60_000);

  it('another agency\'s staff get the counts but not the examples', async () => {
    const since = addDays(today(), -300);
    const own = (await ask('COURTS_RECORDS_MANAGER', 'COURTS', REPORT, { agency: 'COURTS', since })).body.data.dataQualityReport;
    const r = await ask('PRISONS_RECORDS_MANAGER', 'PRISONS', REPORT, { agency: 'COURTS', since });
    const other = r.body.data.dataQualityReport;
    const counts = (rep: { conflictsByField: Count[] }) => rep.conflictsByField.map((c) => [c.key, c.count]);
    expect(counts(other)).toEqual(counts(own));
    expect(other.conflictsByField.length).toBeGreaterThan(0);
    for (const c of other.conflictsByField as Count[]) expect(c.examples).toBeNull();
    const denied = (r.body.errors ?? []).filter((e) => e.extensions?.field === 'DataQualityCount.examples');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_AGENCY_RECORDS' });
    // No record id of the courts in the answer.
    for (const c of casesSince(since)) expect(r.text).not.toContain(c.asn);
  }, 60_000);

  it('the cross-agency data-quality officer gets every agency\'s counts, never record ids', async () => {
    const r = await ask('DATA_QUALITY_OFFICER', 'MOJ', REPORT, { agency: 'COURTS', since: addDays(today(), -300) });
    expect(r.body.data.dataQualityReport.conflictsByField.length).toBeGreaterThan(0);
    for (const c of r.body.data.dataQualityReport.conflictsByField as Count[]) expect(c.examples).toBeNull();
    expect((r.body.errors ?? []).find((e) => e.extensions?.field === 'DataQualityCount.examples')?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_PERMITTED' });
  }, 60_000);

  it('the README query for data-quality teams runs as pasted', async () => {
    const r = await ask('COURTS_RECORDS_MANAGER', 'COURTS', readmeBlock('data-quality-query'), { agency: 'COURTS', since: addDays(today(), -90) });
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    expect(r.body.data.dataQualityReport.agency).toBe('COURTS');
  }, 60_000);
});

describe('nobody else gets a data-quality report', () => {
  it('a police officer asking for a data-quality report gets nothing, and no agency is asked', async () => {
    resetCounts(stack);
    const r = await query(stack, 'POLICE', REPORT, { agency: 'POLICE', since: addDays(today(), -30) }, { role: 'POLICE_OFFICER', purpose: 'INVESTIGATION' });
    expect(r.body.data?.dataQualityReport ?? null).toBeNull();
    expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_PERMITTED' });
    expect(Object.values(callsPerAgency(stack)).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('every agency has a data-quality report: none is an error for want of a scan', async () => {
    for (const agency of ['POLICE', 'COURTS', 'PRISONS', 'PROBATION', 'VICTIMS']) {
      const r = await ask('DATA_QUALITY_OFFICER', 'MOJ', REPORT, { agency, since: addDays(today(), -30) });
      expect(r.body.data?.dataQualityReport?.agency, `${agency}: ${JSON.stringify(r.body.errors)}`).toBe(agency);
    }
  }, 60_000);
});

// Identity's linking waves with agencies faked at the PeopleSource seam: when each agency is asked, with
// what, and what the person looks like while later waves are still out.
import { describe, expect, it } from 'vitest';
import { formatPnc } from '../../../adapters/normalise.js';
import { personName, type Identifier, type IdentityRecord, type IdentitySearch } from '../../../schema/model.js';
import { createIdentityLoaders, type PeopleSource } from '../../../subgraphs/identity/loaders.js';

const PNC = formatPnc(2005, 777);
const ASNS = ['0501ZD0100000000777A', '0601ZD0100000000778B'];

function rec(over: Partial<IdentityRecord> & Pick<IdentityRecord, 'agency' | 'localId' | 'localIdType'>): IdentityRecord {
  return {
    name: personName(['John'], 'Smith'), aliases: [], dateOfBirth: '1980-02-01', sex: 'MALE',
    pnc: { raw: null, value: null, valid: false }, cro: { raw: null, value: null, valid: false }, crossReferences: [], ...over,
  };
}
const validPnc = { raw: PNC, value: PNC, valid: true };

interface Log { agency: string; op: 'find' | 'search'; at: number; ids?: string[] }

/** Police (fast) holds the ASNs; prisons is slow; courts holds a record per ASN and is keyed by nothing else. */
function world(delays: { police: number; prisons: number; courts: number }) {
  const log: Log[] = [];
  const t0 = Date.now();
  const wait = (ms: number, signal: AbortSignal) => new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); reject(new Error('aborted')); });
  });
  const source = (agency: string, supports: PeopleSource['supports'], delay: number, hold: (ids: Identifier[]) => IdentityRecord[]): PeopleSource => ({
    agency, supports,
    async find(ids, signal) { log.push({ agency, op: 'find', at: Date.now() - t0, ids: ids.map((i) => `${i.type}:${i.value}`) }); await wait(delay, signal); return hold(ids); },
    async search(_c: IdentitySearch[], signal) { log.push({ agency, op: 'search', at: Date.now() - t0 }); await wait(delay, signal); return []; },
  });
  const sources = [
    source('police', ['PNC', 'POLICE_NOMINAL_ID'], delays.police, (ids) => ids.some((i) => i.value === PNC)
      ? [rec({ agency: 'police', localId: '400000', localIdType: 'POLICE_NOMINAL_ID', pnc: validPnc, crossReferences: ASNS.map((value) => ({ type: 'ASN' as const, value })) })] : []),
    source('prisons', ['PNC', 'PRISON_NUMBER'], delays.prisons, (ids) => ids.some((i) => i.value === PNC) ? [rec({ agency: 'prisons', localId: 'A1234BC', localIdType: 'PRISON_NUMBER', pnc: validPnc })] : []),
    source('courts', ['ASN'], delays.courts, (ids) => ids.filter((i) => ASNS.includes(i.value)).map((i) => rec({ agency: 'courts', localId: i.value, localIdType: 'ASN' }))),
  ];
  const loaders = createIdentityLoaders({ sources: () => sources, linkBudgetMs: 5000 });
  return { log, loaders, t0 };
}

describe('identity linking waves', () => {
  it('asks the courts by the ASNs police records carry as soon as police answers, not after the slowest agency', async () => {
    const { log, loaders } = world({ police: 10, prisons: 400, courts: 10 });
    const person = await loaders.byIdentifier({ type: 'PNC', value: PNC });
    const courts = log.filter((l) => l.agency === 'courts');
    expect(courts).toHaveLength(1);
    expect(courts[0].ids).toEqual(ASNS.map((a) => `ASN:${a}`));
    expect(courts[0].at).toBeLessThan(300); // prisons answers at 400
    expect(person?.records.map((r) => `${r.agency}=${r.localId}`)).toEqual(['courts=0501ZD0100000000777A', 'courts=0601ZD0100000000778B', 'police=400000', 'prisons=A1234BC']);
    expect(person?.basis.get('courts=0501ZD0100000000777A')).toEqual(['AGENCY_ID']);
    expect(person?.basis.get('police=400000')).toEqual(['CROSS_REFERENCE', 'PNC', 'REQUESTED_IDENTIFIER']);
    expect(person?.id).toBe('P1:courts=0501ZD0100000000777A,courts=0601ZD0100000000778B,police=400000,prisons=A1234BC');
    expect(log.filter((l) => l.op === 'find').map((l) => l.agency).sort()).toEqual(['courts', 'police', 'prisons']);
  });

  it('gives the records of the first wave before the courts have answered, and starts candidate searches from them at once', async () => {
    const { log, loaders, t0 } = world({ police: 10, prisons: 10, courts: 300 });
    const id = { type: 'PNC' as const, value: PNC };
    const full = loaders.byIdentifier(id);
    const first = await loaders.firstRecords(id);
    const firstAt = Date.now() - t0;
    expect(first.map((r) => r.agency).sort()).toEqual(['police', 'prisons']);
    expect(firstAt).toBeLessThan(250);
    const candidates = loaders.candidatesOf(full.then((p) => p!), first);
    await Promise.all([full, candidates]);
    const searches = log.filter((l) => l.op === 'search');
    expect(searches.length).toBeGreaterThan(0);
    expect(Math.max(...searches.map((s) => s.at))).toBeLessThan(250); // overlapping the courts call, not after it
    expect((await full)?.records.filter((r) => r.agency === 'courts')).toHaveLength(2);
  });
});

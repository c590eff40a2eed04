// The victims subgraph end to end in-process: federation entity references, loaders, and the disclosure
// policy, over the export fixtures. (Kept beside the adapter tests: test/subgraphs/ belongs to the lead.)
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createVictimsClient } from '../../../adapters/victims/client.js';
import victims from '../../../subgraphs/victims/index.js';
import { caller, executeAs } from '../../helpers/subgraph.js';

const fixtures = fileURLToPath(new URL('../../fixtures/victims/', import.meta.url));
const client = createVictimsClient({ VICTIMS_EXPORT_DIR: fixtures });

const CASE_VICTIMS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Case {
  urn victims { id name { fullName } dateOfBirth address { lines postcode } contactScheme { optedIn decisionDate }
  contactPreferences { method email phone } liaisonOfficer } } } }`;
const reps = (...urns: string[]) => ({ r: urns.map((urn) => ({ __typename: 'Case', urn })) });
const codes = (errors: readonly { extensions?: Record<string, unknown> }[] | undefined) => (errors ?? []).map((e) => e.extensions?.code);
/** Withheld fields by path, with the reason the policy gave. */
const withheld = (errors: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] | undefined) =>
  Object.fromEntries((errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => [e.path!.join('.'), e.extensions?.reason]));
/** A victim liaison officer looking after the given victims (of case 01ZD0303208). */
const vlo = (...victimIds: string[]) => caller('VICTIMS', undefined, undefined, { relationships: { victimIds, victimCaseUrns: victimIds.length ? ['01ZD0303208'] : [] } });
const PERSONAL = ['name', 'dateOfBirth', 'address', 'contactPreferences'];

describe('victims subgraph', () => {
  it('shows a victim liaison officer their own victims of a case with their contact details', async () => {
    const res = await executeAs(victims, client, vlo('V0000101', 'V0000102'), CASE_VICTIMS, reps('01ZD0303208'));
    const kase = (res.data as any)._entities[0];
    expect(kase.urn).toBe('01ZD0303208');
    expect(kase.victims[0]).toEqual({
      id: 'V0000101', name: { fullName: "Siobhan Mary O'Brien-Smith" }, dateOfBirth: '1979-07-04',
      address: { lines: ['Flat 2', '14, Victoria Road'], postcode: 'S1 2AB' }, contactScheme: { optedIn: true, decisionDate: '2026-10-02' },
      contactPreferences: { method: 'EMAIL', email: 'siobhan.obrien@example.org', phone: null }, liaisonOfficer: 'VLO012',
    });
    expect(withheld(res.errors)).toEqual({});
  });

  it('withholds from a liaison officer every detail of another officer\'s victim, even in a case they share', async () => {
    const res = await executeAs(victims, client, vlo('V0000102'), CASE_VICTIMS, reps('01ZD0303208'));
    // OWN_VICTIM is `OMIT` in lists: the other officer's victim is left out, not even a null item or an error.
    // (The fixture's malformed record stays, as null with BAD_SOURCE_DATA: an unreadable record is reported, never dropped.)
    const list = (res.data as any)._entities[0].victims;
    expect(list).toHaveLength(2);
    expect(list[1]).toBeNull();
    expect(codes(res.errors)).toEqual(['BAD_SOURCE_DATA']);
    expect(list[0]).toMatchObject({ id: 'V0000102', name: { fullName: 'Amit Patel' }, contactPreferences: { method: 'NONE' } });
    expect(JSON.stringify(res)).not.toContain('V0000101');
    expect(withheld(res.errors)).toEqual({});
  });

  it('says where a victim record came from (the exports, the victim id, when read) only to whoever may see the victim', async () => {
    const P = 'provenance { agency system recordId retrievedAt derivedBy }';
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { victims { id ${P} contactScheme { optedIn ${P} } contactPreferences { method ${P} } } } } }`;
    const before = new Date().toISOString();
    const res = await executeAs(victims, client, vlo('V0000102'), q, reps('01ZD0303208'));
    const after = new Date().toISOString();
    const [mine] = (res.data as any)._entities[0].victims;
    const from = { agency: 'VICTIMS', system: 'Victim contact system (nightly CSV and VCS exports)', recordId: 'V0000102', derivedBy: null, retrievedAt: expect.any(String) };
    expect(mine.provenance).toEqual(from);
    expect(mine.contactPreferences.provenance).toEqual(from);
    expect(mine.provenance.retrievedAt >= before && mine.provenance.retrievedAt <= after).toBe(true);
    // The other officer's victim is left out, its provenance (and so its record id) with it.
    expect(JSON.stringify(res)).not.toContain('V0000101');
    // A police officer sees the victims (by id) and so where they came from; a probation officer nothing of them.
    const police = await executeAs(victims, client, caller('POLICE', undefined, 'INVESTIGATION'), `query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { victims { id ${P} } } } }`, reps('01ZD0303208'));
    expect((police.data as any)._entities[0].victims[0].provenance).toMatchObject({ agency: 'VICTIMS', recordId: (police.data as any)._entities[0].victims[0].id });
    const probation = await executeAs(victims, client, caller('PROBATION'), `query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { victims { ${P} } } } }`, reps('01ZD0303208'));
    expect(JSON.stringify(probation.data)).not.toMatch(/V00001/);
  });

  it('withholds the victims of a case from a liaison officer with no victim in it', async () => {
    const res = await executeAs(victims, client, vlo(), CASE_VICTIMS, reps('01ZD0303208'));
    expect((res.data as any)._entities[0]).toBeNull();
    expect(withheld(res.errors)).toMatchObject({ '_entities.0.urn': 'NOT_OWN_VICTIM_CASE' });
  });

  it('reports SOURCE_UNAVAILABLE, not a denial, for victims\' personal details when the liaison officer\'s victims could not be established', async () => {
    const unsure = caller('VICTIMS', undefined, undefined, { relationships: { unavailable: ['victims'] } });
    const res = await executeAs(victims, client, unsure, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Case { victims { id address { postcode } } } } }', reps('01ZD0303208'));
    expect((res.data as any)._entities[0]).toEqual({ victims: null });
    expect(withheld(res.errors)).toEqual({});
    expect(res.errors!.find((e) => e.path?.join('.') === '_entities.0.victims')!.extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', agency: 'victims' });
  });

  it('shows a malformed victim record as null at its index with BAD_SOURCE_DATA, and the others still', async () => {
    const res = await executeAs(victims, client, vlo('V0000101', 'V0000102', 'V0000103'), CASE_VICTIMS, reps('01ZD0303208'));
    const list = (res.data as any)._entities[0].victims;
    expect(list.map((v: any) => v?.id ?? null)).toEqual(['V0000101', 'V0000102', null]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', agency: 'victims', recordId: 'V0000103' });
    expect(res.errors![0].path).toEqual(['_entities', 0, 'victims', 2]);
  });

  it('gives a case the victims system does not know an empty list', async () => {
    const res = await executeAs(victims, client, caller('POLICE'), CASE_VICTIMS, reps('99XX9999999'));
    expect((res.data as any)._entities[0].victims).toEqual([]);
  });

  it('shows a police officer the victims and their scheme decision but withholds the victim\'s name, address, contact details and liaison officer', async () => {
    const res = await executeAs(victims, client, caller('POLICE'), CASE_VICTIMS, reps('01ZD0303208'));
    const first = (res.data as any)._entities[0].victims[0];
    expect(first).toMatchObject({ id: 'V0000101', contactScheme: { optedIn: true, decisionDate: '2026-10-02' } });
    for (const field of [...PERSONAL, 'liaisonOfficer']) expect(first[field]).toBeNull();
    expect(withheld(res.errors)).toMatchObject(Object.fromEntries([...PERSONAL, 'liaisonOfficer'].map((f) => [`_entities.0.victims.0.${f}`, 'NOT_PERMITTED'])));
    expect(Object.values(withheld(res.errors)).every((reason) => reason === 'NOT_PERMITTED')).toBe(true);
  });

  it('withholds a victims case, its URN included, from a probation officer', async () => {
    const res = await executeAs(victims, client, caller('PROBATION'), CASE_VICTIMS, reps('01ZD0303208'));
    expect((res.data as any)._entities[0]).toBeNull();
    expect(withheld(res.errors)).toMatchObject({ '_entities.0.urn': 'NOT_PERMITTED' });
    expect(Object.values(withheld(res.errors)).every((reason) => reason === 'NOT_PERMITTED')).toBe(true);
    expect(codes(res.errors).every((c) => c === 'FORBIDDEN')).toBe(true);
  });

  it('finds one victim by id for a victim liaison officer only, with personal details for their own victims only', async () => {
    const query = 'query($id: ID!) { victim(id: $id) { id contactPreferences { method } } }';
    const mine = await executeAs(victims, client, vlo('V0000102'), query, { id: 'V0000102' });
    expect(mine.data).toEqual({ victim: { id: 'V0000102', contactPreferences: { method: 'NONE' } } });
    const notMine = await executeAs(victims, client, vlo('V0000101'), query, { id: 'V0000102' });
    expect(notMine.data).toEqual({ victim: null });
    expect(withheld(notMine.errors)).toEqual({ 'victim.id': 'NOT_OWN_VICTIM', 'victim.contactPreferences': 'NOT_OWN_VICTIM' });
    expect((await executeAs(victims, client, vlo('V0000102'), query, { id: 'V9999999' })).data).toEqual({ victim: null });
    const bad = await executeAs(victims, client, vlo('V0000103'), query, { id: 'V0000103' });
    expect(bad.data).toEqual({ victim: null });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', recordId: 'V0000103' });
    const police = await executeAs(victims, client, caller('POLICE'), query, { id: 'V0000102' });
    expect(police.data).toEqual({ victim: null });
    expect(withheld(police.errors)).toEqual({ victim: 'NOT_PERMITTED' });
  });

  it('nulls the victims of a case with SOURCE_UNAVAILABLE when the exports cannot be read', async () => {
    const down = createVictimsClient({ VICTIMS_EXPORT_DIR: fileURLToPath(new URL('./no-such-folder/', import.meta.url)) });
    const res = await executeAs(victims, down, vlo('V0000101'), CASE_VICTIMS, reps('01ZD0303208'));
    expect((res.data as any)._entities[0]).toEqual({ urn: '01ZD0303208', victims: null });
    expect(res.errors![0].extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', agency: 'victims' });
    expect(res.errors![0].message).not.toContain('no-such-folder');
  });
});

// The police subgraph as a police officer sees it: resolvers, outages, malformed records and batching,
// run in-process against the embedded stand-in database. Who may see which field is the policy's
// business (schema/policy) and is tested there.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PoliceClient } from '../../../adapters/police/client.js';
import type { StandIn } from '../../../legacy/faults.js';
import { startStandIn } from '../../../legacy/police/server.js';
import { generatePopulation } from '../../../legacy/population.js';
import { encodePersonId } from '../../../schema/person-id.js';
import { buildProtectedSchema } from '../../../subgraphs/harness.js';
import police from '../../../subgraphs/police/index.js';
import { caller, executeAs } from '../../helpers/subgraph.js';

const population = generatePopulation({ size: 300 });
const example = population.police.find((n) => n.personIndex === population.examples.everywhere)!;
let standIn: StandIn;
let client: PoliceClient;

const ENTITIES = `query People($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Person {
      id
      policeNominal { nominalId name { fullName } dateOfBirth sex pnc { type recorded canonical valid reason } cro { type canonical valid } identifiers { type canonical valid } force { code name } }
      arrests { id date offence { code title category } station { code name } outcome caseUrn custodyRecord { id detainedAt releasedAt releaseReason } }
      warningMarkers { code description startDate endDate active }
      intelligenceFlags { id category categoryCode grading recordedDate note }
    }
  }
}`;
const rep = (...nominalIds: string[]) => ({ __typename: 'Person', id: encodePersonId(nominalIds.map((localId) => ({ agency: 'police', localId }))) });
type Person = Record<string, any>;
const people = (res: { data?: unknown }) => (res.data as { _entities: Person[] })._entities;
/** Error code by path below the person, e.g. { arrests: 'SOURCE_UNAVAILABLE', 'arrests.0': 'BAD_SOURCE_DATA' }. */
const codes = (errors: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] = []) =>
  Object.fromEntries(errors.map((e) => [e.path!.slice(2).join('.'), e.extensions?.code]));

beforeAll(async () => {
  standIn = await startStandIn({ population });
  client = await police.createClient({ ...standIn.env, POLICE_TIMEOUT_MS: '400' });
});
afterEach(() => {
  standIn.faults.reset();
  standIn.requests.reset();
});
afterAll(async () => {
  await police.close!(client);
  await standIn.close();
});

describe('police subgraph', () => {
  it('has a disclosure rule for every field it defines', () => {
    expect(() => buildProtectedSchema(police)).not.toThrow();
  });

  it('shows police staff everything about the example person', async () => {
    const res = await executeAs(police, client, caller('POLICE'), ENTITIES, { reps: [rep(example.nominalId)] });
    expect(res.errors).toBeUndefined();
    const [person] = people(res);
    expect(person.policeNominal).toMatchObject({ nominalId: example.nominalId, dateOfBirth: example.dateOfBirth, pnc: { type: 'PNC', valid: true, reason: null }, force: { code: example.forceCode } });
    expect(person.policeNominal.identifiers[0]).toEqual({ type: 'POLICE_NOMINAL_ID', canonical: example.nominalId, valid: true });
    expect(person.arrests).toHaveLength(example.arrests.length);
    expect(person.arrests[0]).toMatchObject({ date: example.arrests[0].arrestDate, outcome: 'CHARGED', custodyRecord: { detainedAt: example.arrests[0].custody!.detainedAt } });
    expect(person.warningMarkers.map((m: Person) => m.code)).toEqual(['VI', 'WE']);
    expect(person.intelligenceFlags).toHaveLength(1);
  });

  it('says where every record came from: the police system, the record id there, and when the batch was read', async () => {
    const other = population.police.find((n) => n !== example && n.arrests.some((a) => a.custody) && n.intelligenceFlags.length > 0)!;
    const P = 'provenance { agency system recordId retrievedAt derivedBy }';
    const query = `query People($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person {
      policeNominal { nominalId ${P} } arrests { id ${P} custodyRecord { id ${P} } } warningMarkers { code ${P} }
      intelligenceFlags { id ${P} } policeEvents(since: "1900-01-01") { reference ${P} } } } }`;
    const before = new Date().toISOString();
    const res = await executeAs(police, client, caller('POLICE'), query, { reps: [rep(example.nominalId), rep(other.nominalId)] });
    const after = new Date().toISOString();
    expect(res.errors).toBeUndefined();
    const [a, b] = people(res);
    const read = { agency: 'POLICE', system: 'Police records management (SQL)', derivedBy: null, retrievedAt: expect.any(String) };
    expect(a.policeNominal.provenance).toEqual({ ...read, recordId: example.nominalId });
    for (const arrest of [...a.arrests, ...b.arrests]) {
      expect(arrest.provenance).toEqual({ ...read, recordId: arrest.id });
      if (arrest.custodyRecord) expect(arrest.custodyRecord.provenance).toEqual({ ...read, recordId: arrest.custodyRecord.id });
    }
    expect(a.warningMarkers[0].provenance).toEqual({ ...read, recordId: expect.stringMatching(new RegExp(`^${example.nominalId}/\\d+$`)) });
    expect(b.intelligenceFlags[0].provenance).toEqual({ ...read, recordId: b.intelligenceFlags[0].id });
    // An event is derived from the arrest: its record, and the rule that made it.
    expect(a.policeEvents[0].provenance).toMatchObject({ agency: 'POLICE', recordId: a.policeEvents[0].reference, derivedBy: expect.stringContaining('arrest') });
    // Stamped when the system answered, once per batch: both people's arrests were one query, so one instant.
    const stamps = [...a.arrests, ...b.arrests].map((x: Person) => x.provenance.retrievedAt);
    expect(new Set(stamps).size).toBe(1);
    expect(stamps[0] >= before && stamps[0] <= after).toBe(true);
  });

  it('gives a person with no police record null and empty lists', async () => {
    const res = await executeAs(police, client, caller('POLICE'), ENTITIES, { reps: [{ __typename: 'Person', id: encodePersonId([{ agency: 'prisons', localId: 'A1234BC' }]) }] });
    expect(res.errors).toBeUndefined();
    expect(people(res)[0]).toMatchObject({ policeNominal: null, arrests: [], warningMarkers: [], intelligenceFlags: [] });
    expect(standIn.requests.get()).toBe(0);
  });

  it('loads a page of people with one query per table', async () => {
    const ids = population.police.slice(0, 20).map((n) => n.nominalId);
    const res = await executeAs(police, client, caller('POLICE'), ENTITIES, { reps: ids.map((id) => rep(id)) });
    expect(res.errors).toBeUndefined();
    expect(standIn.requests.snapshot()).toEqual({ 'SELECT ARRESTS': 1, 'SELECT INTEL_FLAGS': 1, 'SELECT NOMINALS': 1, 'SELECT WARNING_MARKERS': 1 });
  });

  it('nulls only the malformed arrest, naming the police system', async () => {
    const withTwo = population.police.find((n) => n.arrests.length >= 2)!;
    standIn.faults.set({ malformedRate: 1 });
    const res = await executeAs(police, client, caller('POLICE'), `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { arrests { id } } } }`, { reps: [rep(withTwo.nominalId)] });
    const [person] = people(res);
    expect(person.arrests[0]).toBeNull();
    expect(person.arrests.slice(1).every((a: Person) => a?.id)).toBe(true);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', agency: 'police' });
  });

  it('nulls the police fields with SOURCE_UNAVAILABLE when the database is down, keeping the person', async () => {
    standIn.faults.set({ down: true });
    const res = await executeAs(police, client, caller('POLICE'), ENTITIES, { reps: [rep(example.nominalId)] });
    expect(people(res)[0]).toMatchObject({ id: rep(example.nominalId).id, policeNominal: null, arrests: null });
    expect(new Set(Object.values(codes(res.errors)))).toEqual(new Set(['SOURCE_UNAVAILABLE']));
  });
});

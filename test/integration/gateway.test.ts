// The whole path, real parts only: stand-in legacy systems → adapters → subgraphs → gateway → client,
// on ephemeral ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAssertion } from '../../auth/assertion.js';
import { importKey, newKeyPair } from '../../auth/keys.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { NO_RELATIONSHIPS } from '../../subgraphs/types.js';
import { readmeQuery } from '../helpers/legacy-calls.js';
import { codes, post, query } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ population: { size: 300 }, logLevel: 'silent', breaker: { failures: 1000, cooldownMs: 1000 } });
}, 120_000);
afterAll(async () => stack?.close());


describe('one person across five agencies', () => {
  it('joins police, courts, prisons, probation and victims records into one answer', async () => {
    const truth = stack.population.people[stack.population.examples.everywhere];
    const r = await query(stack, 'POLICE', readmeQuery(), { pnc: truth.pnc });
    expect(r.body.errors).toBeUndefined();
    const p = r.body.data.personByIdentifier;
    expect(p.links.map((l: { agency: string }) => l.agency).sort()).toEqual(['COURTS', 'POLICE', 'PRISONS', 'PROBATION']);
    expect(p.links.every((l: { grade: string }) => l.grade === 'CERTAIN')).toBe(true);
    expect(p.name.surname.toUpperCase()).toBe(truth.surname.toUpperCase());
    expect(p.arrests.length).toBeGreaterThan(0);
    expect(p.warningMarkers.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(['VI', 'WE']));
    expect(p.cases[0].charges[0].offence.title).toMatch(/\w/);
    expect(p.cases[0].victims.length).toBeGreaterThan(0);
    expect(p.custodyPeriods[0].expectedReleaseDate).toBe('2026-12-16');
    // Where it came from: the prison system, the booking, and when the prisons subgraph read it.
    expect(p.custodyPeriods[0].provenance).toEqual({ system: 'NOMIS (Prisoner Search API)', recordId: expect.stringMatching(/^\d+$/), retrievedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(p.supervision.crn).toBe(truth.crn);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('batches: a search over many people costs the police one arrest query', async () => {
    stack.standIns.get('police')!.requests.reset();
    const r = await query(stack, 'POLICE', '{ searchPeople(surname: "Smith") { person { id arrests { date } } } }');
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.searchPeople.length).toBeGreaterThan(1);
    expect(stack.standIns.get('police')!.requests.get('SELECT ARRESTS')).toBe(1);
  });
});

describe('identity', () => {
  it('offers a probable match as a candidate and never merges it', async () => {
    const truth = stack.population.people[stack.population.examples.probableOnly];
    const r = await query(stack, 'POLICE', `query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) {
      links { agency provenance { agency recordId derivedBy } } candidates { link { agency localId grade basis } person { id } reason provenance { agency recordId retrievedAt derivedBy } } } }`, { pnc: truth.pnc });
    expect(r.body.errors).toBeUndefined();
    const p = r.body.data.personByIdentifier;
    expect(p.links.map((l: { agency: string }) => l.agency)).not.toContain('PROBATION');
    const candidate = p.candidates.find((c: { link: { agency: string } }) => c.link.agency === 'PROBATION');
    expect(candidate).toMatchObject({ link: { localId: truth.crn, grade: 'PROBABLE' } });
    expect(candidate.person.id).toBe(`P1:probation=${truth.crn}`);
    // A grade is derived: its provenance names the record it was made on and the rule that made it.
    expect(candidate.provenance).toEqual({ agency: 'PROBATION', recordId: truth.crn, retrievedAt: expect.any(String), derivedBy: expect.stringContaining('match model') });
    expect(p.links[0].provenance).toMatchObject({ agency: p.links[0].agency, recordId: expect.any(String), derivedBy: expect.stringContaining('linking') });
  });

  it('finds by name and date of birth, with the probable duplicate kept apart', async () => {
    const truth = stack.population.people[stack.population.examples.probableOnly];
    const r = await query(stack, 'POLICE', `query($s: String!, $f: String, $d: Date) { searchPeople(surname: $s, forename: $f, dateOfBirth: $d) {
      grade person { id links { agency } candidates { link { agency grade } } } } }`, { s: truth.surname, f: truth.forename, d: truth.dateOfBirth });
    expect(r.body.errors).toBeUndefined();
    const results = r.body.data.searchPeople;
    const main = results.find((m: any) => m.person.links.some((l: any) => l.agency === 'POLICE'));
    const probation = results.find((m: any) => m.person.links.length === 1 && m.person.links[0].agency === 'PROBATION');
    expect(main).toBeDefined();
    expect(probation).toBeDefined();
    expect(main.person.candidates).toContainEqual({ link: { agency: 'PROBATION', grade: 'PROBABLE' } });
  });

  it('refuses a PNC whose check character is wrong instead of using it as a key', async () => {
    const pnc = stack.population.people[0].pnc!;
    const wrong = pnc.slice(0, -1) + (pnc.endsWith('A') ? 'B' : 'A');
    const r = await query(stack, 'POLICE', `{ personByIdentifier(type: PNC, value: "${wrong}") { id } }`);
    expect(codes(r)).toEqual(['BAD_USER_INPUT:identity']);
    expect(r.body.errors![0].message).toMatch(/check character/);
  });

  it('finds the same person whichever form the PNC is typed in', async () => {
    const truth = stack.population.people[stack.population.examples.everywhere];
    const [year, rest] = truth.pnc!.split('/');
    const short = `${year.slice(2)}/${Number(rest.slice(0, 7))}${rest.slice(7)}`;
    const forms = [truth.pnc!, `${year}${rest}`, short, short.replace('/', ''), ` ${truth.pnc!.toLowerCase()} `];
    const found = [];
    for (const pnc of forms) {
      const r = await query(stack, 'POLICE', 'query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { id identifiers { type value } } }', { pnc });
      expect(r.body.errors, pnc).toBeUndefined();
      found.push(r.body.data.personByIdentifier);
    }
    expect(new Set(found.map((p) => p.id)).size).toBe(1);
    expect(found[0].identifiers).toContainEqual({ type: 'PNC', value: truth.pnc });
  });

  it('shows a mistyped PNC as rejected, with the agency that keyed it', async () => {
    const i = stack.population.examples.badPnc;
    if (i < 0) return; // a population this small may hold none
    const truth = stack.population.people[i];
    const r = await query(stack, 'POLICE', `{ personByIdentifier(type: POLICE_NOMINAL_ID, value: "${truth.nominalId}") { rejectedIdentifiers { agency type reason } } }`);
    expect(r.body.data.personByIdentifier.rejectedIdentifiers).toContainEqual({ agency: 'POLICE', type: 'PNC', reason: 'check character does not match' });
  });
});

describe('disclosure and authentication', () => {
  it('withholds a victim address from a police officer as FORBIDDEN, not as an outage', async () => {
    const truth = stack.population.people[0];
    const r = await query(stack, 'POLICE', `query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { cases { victims { id address { postcode } } } } }`, { pnc: truth.pnc });
    const victim = r.body.data.personByIdentifier.cases[0].victims[0];
    expect(victim.id).toMatch(/^V/);
    expect(victim.address).toBeNull();
    expect(codes(r).length).toBeGreaterThan(0);
    expect(codes(r).every((c) => c.startsWith('FORBIDDEN:'))).toBe(true);
  });

  it('refuses a request without a bearer token (401) or without a declared purpose (400)', async () => {
    const none = await post(stack.gatewayUrl, { query: '{ __typename }' }, { 'x-purpose': 'INVESTIGATION' });
    expect(none.status).toBe(401);
    expect(none.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const token = await stack.token({ agency: 'POLICE' });
    const noPurpose = await post(stack.gatewayUrl, { query: '{ __typename }' }, { authorization: `Bearer ${token}` });
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.errors![0].extensions!.code).toBe('PURPOSE_REQUIRED');
  });

  it('refuses an expired token or one signed by another key', async () => {
    const expired = await stack.token({ agency: 'POLICE', expiresIn: '-1m' });
    expect((await post(stack.gatewayUrl, { query: '{ __typename }' }, { authorization: `Bearer ${expired}`, 'x-purpose': 'INVESTIGATION' })).status).toBe(401);
    const stranger = await newKeyPair('stranger');
    const { issueToken } = await import('../../auth/tokens.js');
    const forged = await issueToken(await importKey(stranger.privateJwk), stack.issuer.kid, { subject: 'x', agency: 'POLICE', roles: ['R'], ...stack.auth });
    expect((await post(stack.gatewayUrl, { query: '{ __typename }' }, { authorization: `Bearer ${forged}`, 'x-purpose': 'INVESTIGATION' })).status).toBe(401);
  });
});

describe('subgraphs answer only the gateway', () => {
  const caller = { subject: 'mallory', agency: 'POLICE', roles: ['POLICE_OFFICER'], purpose: 'INVESTIGATION', justification: null, requestId: 'req-00000001', staffCode: null, relationships: NO_RELATIONSHIPS };
  const entities = { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { arrests { date } } } }', variables: { r: [{ __typename: 'Person', id: 'P1:police=400000' }] } };

  it.each([
    ['_service', { query: '{ _service { sdl } }' }],
    ['_entities', entities],
  ])('refuses %s without an assertion', async (_name, body) => {
    const r = await post(stack.subgraphs.get('police')!.url, body);
    expect(r.status).toBe(401);
    expect(r.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(r.text).not.toContain('arrests');
  });

  it('refuses an assertion signed by anyone but the gateway', async () => {
    const other = await newKeyPair('not-the-gateway');
    const forged = await signAssertion(await importKey(other.privateJwk), stack.gatewayKeys.kid, 'police', caller, entities);
    expect((await post(stack.subgraphs.get('police')!.url, entities, { 'x-caller-assertion': forged })).status).toBe(401);
  });

  it('refuses an assertion made out to another subgraph', async () => {
    const forCourts = await signAssertion(await importKey(stack.gatewayKeys.privateJwk), stack.gatewayKeys.kid, 'courts', caller, entities);
    expect((await post(stack.subgraphs.get('police')!.url, entities, { 'x-caller-assertion': forCourts })).status).toBe(401);
  });
});

describe('when an agency is down', () => {
  const q = `query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { links { agency } arrests { date } custodyPeriods { receptionDate } supervision { crn } } }`;

  it('gives the rest of the record and an error naming the agency whose system is down', async () => {
    const prisons = stack.standIns.get('prisons')!;
    prisons.faults.set({ down: true });
    try {
      const r = await query(stack, 'POLICE', q, { pnc: stack.population.people[0].pnc });
      const p = r.body.data.personByIdentifier;
      expect(p.arrests.length).toBeGreaterThan(0);
      expect(p.supervision.crn).toBeTruthy();
      expect(p.custodyPeriods).toBeNull();
      expect(codes(r)).toContain('SOURCE_UNAVAILABLE:prisons');
      expect(codes(r).some((c) => c.startsWith('FORBIDDEN'))).toBe(false);
    } finally {
      prisons.faults.reset();
    }
  });

  it('never shows the client SQL, hosts or stack traces from a failing system', async () => {
    const police = stack.standIns.get('police')!;
    police.faults.set({ errorRate: 1 });
    try {
      const r = await query(stack, 'POLICE', q, { pnc: stack.population.people[0].pnc });
      expect(r.body.errors?.length).toBeGreaterThan(0);
      expect(r.text).not.toMatch(/SELECT|FROM\s|127\.0\.0\.1|localhost|ECONNREFUSED|\bat\s+\S+\s\(|stack/i);
      // The exact text the stand-in injects (legacy/police/server.ts), and the SQLSTATE it carries.
      expect(r.text).not.toContain('could not read block 0 in file');
      expect(r.text).not.toMatch(/base\/16384|XX001|nominals by|SELECT NOMINALS/);
    } finally {
      police.faults.reset();
    }
  });

  it('keeps answering when a whole subgraph has stopped, naming it', async () => {
    await stack.subgraphs.get('probation')!.close();
    const r = await query(stack, 'POLICE', q, { pnc: stack.population.people[0].pnc });
    const p = r.body.data.personByIdentifier;
    expect(p.arrests.length).toBeGreaterThan(0);
    expect(p.supervision).toBeNull();
    expect(codes(r)).toContain('SOURCE_UNAVAILABLE:probation');
    expect(r.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });
});

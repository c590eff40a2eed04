// Internal fields answer only a service's own signed call, and a service's call reaches nothing else;
// an agency left out of linking for want of time is named in the person id and by its fields' errors.
import { describe, expect, it } from 'vitest';
import { AssertionError, signAssertion, verifyAssertion, type CallerClaims } from '../../auth/assertion.js';
import { importKey, newKeyPair } from '../../auth/keys.js';
import { decodePersonKey, encodePersonId, localIdsFor } from '../../schema/person-id.js';
import { loadPolicy } from '../../schema/policy/index.js';
import { decide } from '../../subgraphs/policy.js';
import { searchAll } from '../../subgraphs/internal.js';
import type { IdentitySearch, IdentitySource } from '../../schema/model.js';
import { NO_RELATIONSHIPS, type Caller } from '../../subgraphs/types.js';

const claims: CallerClaims = {
  subject: 'u1', agency: 'POLICE', roles: ['POLICE_OFFICER'], purpose: 'INVESTIGATION', justification: null, requestId: 'req-12345678', staffCode: null, relationships: NO_RELATIONSHIPS,
};

const binding = { query: '{ _identityRecords(lookups: []) { localId } }', variables: {} };

async function keys() {
  const [gateway, identity] = await Promise.all([newKeyPair('g'), newKeyPair('i')]);
  return {
    gateway: { pub: await importKey(gateway.publicJwk), priv: await importKey(gateway.privateJwk) },
    identity: { pub: await importKey(identity.publicJwk), priv: await importKey(identity.privateJwk) },
  };
}

describe('service assertions', () => {
  it('carry the original caller and request id, and name the service that signed them', async () => {
    const k = await keys();
    const token = await signAssertion(k.identity.priv, 'i', 'police', claims, binding, 'identity');
    const got = await verifyAssertion({ gateway: k.gateway.pub, identity: k.identity.pub }, 'police', token, binding);
    expect(got).toMatchObject({ subject: 'u1', agency: 'POLICE', requestId: 'req-12345678', actor: 'identity' });
  });

  it('refuse a service key that claims to speak for a client, or for another service', async () => {
    const k = await keys();
    const trusted = { gateway: k.gateway.pub, identity: k.identity.pub };
    const asGateway = await signAssertion(k.identity.priv, 'i', 'police', claims, binding, 'gateway');
    await expect(verifyAssertion(trusted, 'police', asGateway, binding)).rejects.toBeInstanceOf(AssertionError);
    const unknownService = await signAssertion(k.identity.priv, 'i', 'police', claims, binding, 'audit');
    await expect(verifyAssertion(trusted, 'police', unknownService, binding)).rejects.toBeInstanceOf(AssertionError);
  });

  it('refuse a service assertion made out to another subgraph', async () => {
    const k = await keys();
    const token = await signAssertion(k.identity.priv, 'i', 'prisons', claims, binding, 'identity');
    await expect(verifyAssertion({ gateway: k.gateway.pub, identity: k.identity.pub }, 'police', token, binding)).rejects.toBeInstanceOf(AssertionError);
  });
});

describe('SERVICE grants', () => {
  const grants = (subgraph: string, coordinate: string) => {
    const e = loadPolicy().get(subgraph)!.entries.get(coordinate);
    if (e?.kind !== 'GRANTS') throw new Error(`${subgraph} ${coordinate} has no grants`);
    return e.grants;
  };
  const person: Caller = { ...claims, relationships: NO_RELATIONSHIPS };

  it('admit identity to the agencies\' identity look-ups and nobody else', () => {
    const g = grants('police', 'Query._identityRecords');
    expect(decide(g, { ...person, actor: 'identity' }, () => ({}))).toMatchObject({ allowed: true });
    expect(decide(g, { ...person, actor: 'gateway' }, () => ({}))).toMatchObject({ allowed: false });
    expect(decide(g, person, () => ({}))).toMatchObject({ allowed: false, reason: 'NOT_PERMITTED' });
  });

  it('never let a service call read an ordinary field, whatever the caller it carries may see', () => {
    const g = grants('police', 'Person.arrests');
    expect(decide(g, person, () => ({}))).toMatchObject({ allowed: true });
    expect(decide(g, { ...person, actor: 'identity' }, () => ({}))).toMatchObject({ allowed: false });
  });
});

describe('person ids of a request that went on without an agency', () => {
  it('mark an agency that did not answer in time, so its fields say SOURCE_TIMEOUT naming it', () => {
    const id = encodePersonId([{ agency: 'police', localId: '400001' }], [{ agency: 'prisons', timedOut: true }, 'victims']);
    expect(id).toBe('P1:police=400001,~prisons=timeout,~victims');
    expect(decodePersonKey(id)).toMatchObject({ unconsulted: ['prisons', 'victims'], timedOut: ['prisons'] });
    expect(() => localIdsFor(id, 'prisons')).toThrow(expect.objectContaining({ code: 'SOURCE_TIMEOUT', agency: 'prisons' }));
    expect(() => localIdsFor(id, 'victims')).toThrow(expect.objectContaining({ code: 'SOURCE_UNAVAILABLE', agency: 'victims' }));
    expect(localIdsFor(id, 'police')).toEqual(['400001']);
  });

  it('mark an agency whose answer could not be read, so its lists fail with BAD_SOURCE_DATA instead of coming back empty', () => {
    const id = encodePersonId([{ agency: 'police', localId: '400001' }], [{ agency: 'courts', timedOut: false, unreadable: true }, { agency: 'courts', timedOut: true }]);
    expect(id).toBe('P1:police=400001,~courts=bad');
    expect(decodePersonKey(id)).toMatchObject({ unconsulted: ['courts'], unreadable: ['courts'], timedOut: [] });
    expect(() => localIdsFor(id, 'courts')).toThrow(expect.objectContaining({ code: 'BAD_SOURCE_DATA', agency: 'courts' }));
    // A real outage outranks an unreadable answer.
    expect(encodePersonId([], [{ agency: 'courts', timedOut: false, unreadable: true }, 'courts'])).toBe('P1:~courts');
  });

  it('refuse a mark that is neither an outage nor a timeout', () => {
    expect(() => decodePersonKey('P1:police=1,~prisons=later')).toThrow(/not valid/);
  });
});

describe('searches of a wave', () => {
  const source = (tolerantSearch: boolean) => {
    const asked: IdentitySearch[][] = [];
    const s: IdentitySource = { agency: 'x', supports: [], tolerantSearch, findByIdentifiers: async () => [], search: async () => [], searchMany: async (c) => { asked.push(c); return []; } };
    return { s, asked };
  };
  const tolerant: IdentitySearch = { surname: 'Smith', forename: 'John', dateOfBirth: '1980-02-01', tolerant: true };

  it('asks a system that cannot search tolerantly for the exact surname with no date filter, in one call', async () => {
    const { s, asked } = source(false);
    await searchAll(s, [tolerant, { surname: 'Jones', dateOfBirth: '1970-01-01' }]);
    expect(asked).toEqual([[{ surname: 'Smith', forename: 'John' }, { surname: 'Jones', dateOfBirth: '1970-01-01' }]]);
  });

  it('passes tolerant searches as they are to a system that declares it can', async () => {
    const { s, asked } = source(true);
    await searchAll(s, [tolerant]);
    expect(asked).toEqual([[tolerant]]);
  });
});

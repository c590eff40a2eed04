// Federation behaviour through the project's builder, end to end: the fixture subgraphs
// (test/conformance/fixtures.ts) are composed with @apollo/composition, served by startSubgraph over
// HTTP (port 0) and queried through a real @apollo/gateway. What an agency's schema may use works as
// federation says it does, the subgraph's body is exactly a conformant subgraph's (the disclosure report
// rides in a header), and an ftv1 trace comes back when, and only when, the gateway asks.
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { parse } from 'graphql';
import { importJWK, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSERTION_HEADER, signAssertion } from '../../auth/assertion.js';
import { newKeyPair } from '../../auth/keys.js';
import { createLogger } from '../../platform/log.js';
import { DISCLOSURES_HEADER } from '../../subgraphs/disclosures.js';
import { federationLink, startSubgraph, subgraphSdl, type RunningSubgraph } from '../../subgraphs/harness.js';
import { NO_RELATIONSHIPS } from '../../subgraphs/types.js';
import { FIXTURES, fxinventory, fxproducts, fxusers, fxusersCalls } from './fixtures.js';

let key: { privateKey: CryptoKey; kid: string };
let running: RunningSubgraph[] = [];
let server: ApolloServer;
let supergraphSdl: string;
/** What the gateway's data sources saw come back, per subgraph call. */
const seen: { subgraph: string; ftv1: boolean; header: boolean; bodyExtensions: string[] }[] = [];
let traceRequests = false;

const assertionFor = (audience: string, query: string, variables?: Record<string, unknown> | null) =>
  signAssertion(key.privateKey, key.kid, audience, { subject: 'fixture', agency: 'AUDIT', roles: ['AUDITOR'], purpose: 'AUDIT', justification: null, staffCode: null, relationships: NO_RELATIONSHIPS, requestId: 'fixture' }, { query, variables: variables ?? null });

class FixtureDataSource extends RemoteGraphQLDataSource {
  constructor(readonly name: string, url: string) { super({ url }); }
  override async willSendRequest({ request }: GraphQLDataSourceProcessOptions) {
    request.http!.headers.set(ASSERTION_HEADER, await assertionFor(this.name, request.query ?? '', request.variables));
  }
  override didReceiveResponse({ response }: Parameters<NonNullable<RemoteGraphQLDataSource['didReceiveResponse']>>[0]) {
    const ext = (response.extensions ?? {}) as Record<string, unknown>;
    seen.push({ subgraph: this.name, ftv1: typeof ext.ftv1 === 'string', header: response.http?.headers.get(DISCLOSURES_HEADER) != null, bodyExtensions: Object.keys(ext) });
    return response;
  }
}

/** Asks the gateway to capture traces, as usage reporting would: the gateway then asks each subgraph for ftv1. */
const captureTraces: ApolloServerPlugin = {
  async requestDidStart({ metrics }) { if (traceRequests) metrics.captureTraces = true; },
};

async function query(q: string, variables?: Record<string, unknown>) {
  const res = await server.executeOperation({ query: q, variables });
  if (res.body.kind !== 'single') throw new Error('expected a single result');
  return res.body.singleResult;
}

async function direct(subgraph: string, q: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const s = running.find((r) => r.name === subgraph)!;
  const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: await assertionFor(subgraph, q, variables), ...headers }, body: JSON.stringify({ query: q, variables }) });
  return { status: res.status, headers: res.headers, body: await res.json() as { data?: any; errors?: any[]; extensions?: Record<string, unknown> } };
}

beforeAll(async () => {
  const pair = await newKeyPair('fixture-gateway');
  key = { privateKey: (await importJWK(pair.privateJwk, 'ES256')) as CryptoKey, kid: pair.kid };
  const publicKey = (await importJWK(pair.publicJwk, 'ES256')) as CryptoKey;
  const log = createLogger('fixtures', 'silent');
  // The fixtures have no policy tables: federation is what is under test here (policy: false).
  running = await Promise.all(FIXTURES.map((m) => startSubgraph(m, { client: {}, assertionKey: publicKey, policy: false, log })));
  const composed = composeServices(FIXTURES.map((m) => ({ name: m.name, url: running.find((r) => r.name === m.name)!.url, typeDefs: parse(subgraphSdl(m)) })));
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  supergraphSdl = composed.supergraphSdl;
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new FixtureDataSource(name, url!),
  });
  server = new ApolloServer({ gateway, plugins: [captureTraces] });
  await server.start();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await Promise.all(running.map((r) => r.close()));
});

describe('the builder\'s federation link', () => {
  it('links v2.7 with the common imports by default, and the version and imports a module declares', () => {
    expect(federationLink()).toBe('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])');
    expect(federationLink({ version: '2.5', imports: ['@tag', '@key'] })).toMatch(/federation\/v2\.5", import: \[.*"@inaccessible", "@tag"\]\)$/);
    expect(subgraphSdl(fxinventory)).toContain('"@override", "@interfaceObject"');
    expect(() => federationLink({ version: '3' })).toThrow(/2\.<minor>/);
    expect(() => federationLink({ imports: ['tag'] })).toThrow(/@name/);
  });

  it('composes only with the imports declared: without @shareable the same value type in two subgraphs is refused', () => {
    const unshared = { ...fxinventory, typeDefs: fxinventory.typeDefs.replace('type ProductDimension @shareable', 'type ProductDimension') };
    const composed = composeServices([fxproducts, fxusers, unshared].map((m) => ({ name: m.name, url: 'http://x.invalid', typeDefs: parse(subgraphSdl(m)) })));
    expect(composed.errors?.map((e) => e.extensions?.code)).toContain('INVALID_FIELD_SHARING');
  });
});

describe('federation through the builder and a real gateway', () => {
  it('resolves a single key across subgraphs, with the override taking the field from its new owner', async () => {
    const r = await query('{ product(id: "p1") { id name price inStock shippingDimensions { size } dimensions { size } } }');
    expect(r.errors).toBeUndefined();
    // price: fxinventory's @override(from: "fxproducts") wins (fxproducts would say 1).
    expect(r.data).toEqual({ product: { id: 'p1', name: 'Kettle', price: 99, inStock: true, shippingDimensions: { size: 'parcel' }, dimensions: { size: 'small' } } });
  });

  it('fetches @requires fields first, and answers @provides fields without asking the owner', async () => {
    fxusersCalls.totalProductsCreated = 0;
    const r = await query('{ product(id: "p1") { createdBy { email totalProductsCreated averageProductsCreatedPerYear name } } }');
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ product: { createdBy: { email: 'ann@example.org', totalProductsCreated: 7, averageProductsCreatedPerYear: 1, name: 'Ann' } } });
    // totalProductsCreated came from fxproducts (@provides); averageProductsCreatedPerYear needed fxusers' yearsOfEmployment (@requires).
    expect(fxusersCalls.totalProductsCreated).toBe(0);
  });

  it('follows a resolvable: false reference to the subgraph that resolves it', async () => {
    const r = await query('{ product(id: "p2") { lastCheckedBy { email name } } }');
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ product: { lastCheckedBy: { email: 'ann@example.org', name: 'Ann' } } });
  });

  it('adds @interfaceObject fields to every implementation of an entity interface', async () => {
    const r = await query('{ media { id title delivery } }');
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ media: [{ id: 'm1', title: 'Federation in practice', delivery: 'download m1' }] });
  });

  it('keeps @inaccessible fields out of the API, and @tag and composed directives in the supergraph', async () => {
    const r = await query('{ user(email: "ann@example.org") { name secretCode } }');
    expect(r.errors?.[0].message).toMatch(/Cannot query field "secretCode"/);
    expect(supergraphSdl).toMatch(/notes: String[^\n]*@tag\(name: "internal"\)/);
    expect(supergraphSdl).toMatch(/@link\(url: "https:\/\/fixtures\.example\.org\/audit-note\/v1\.0"[^)\n]*import: \["@auditNote"\]\)/);
    expect(supergraphSdl).toMatch(/name: String[^\n]*@auditNote\(note: "shown on the label"\)/);
  });
});

describe('a builder-made subgraph as the gateway sees it', () => {
  it('answers _entities in the order asked, across typenames and every @key form, null for an unknown entity', async () => {
    const q = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Product { id name } ... on ProductResearch { outcome } ... on User { averageProductsCreatedPerYear } } }';
    const r = await direct('fxproducts', q, { r: [
      { __typename: 'Product', sku: 'SKU-2', package: 'bag' },
      { __typename: 'User', email: 'ann@example.org', totalProductsCreated: 7, yearsOfEmployment: 7 },
      { __typename: 'Product', id: 'p1' },
      { __typename: 'ProductResearch', study: { caseNumber: 'C1' } },
      { __typename: 'Product', sku: 'SKU-1', variation: { id: 'v1' } },
      { __typename: 'Product', id: 'nope' },
    ] });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities).toEqual([
      { __typename: 'Product', id: 'p2', name: 'Toaster' },
      { __typename: 'User', averageProductsCreatedPerYear: 1 },
      { __typename: 'Product', id: 'p1', name: 'Kettle' },
      { __typename: 'ProductResearch', outcome: 'safe' },
      { __typename: 'Product', id: 'p1', name: 'Kettle' },
      null,
    ]);
  });

  it('returns a body with no extensions: the disclosure report is in the x-disclosures header', async () => {
    const r = await direct('fxusers', '{ user(email: "bob@example.org") { name } }');
    expect(r.body).toEqual({ data: { user: { name: 'Bob' } } });
    expect(r.headers.get(DISCLOSURES_HEADER)).toBeTruthy();
  });

  it('returns an ftv1 trace only when asked, and through the gateway only when the gateway captures traces', async () => {
    const asked = await direct('fxusers', '{ user(email: "bob@example.org") { name } }', undefined, { 'apollo-federation-include-trace': 'ftv1' });
    expect(typeof asked.body.extensions?.ftv1).toBe('string');
    expect(Buffer.from(asked.body.extensions!.ftv1 as string, 'base64').length).toBeGreaterThan(10);

    seen.length = 0;
    traceRequests = false;
    await query('{ product(id: "p1") { price createdBy { name } } }');
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((s) => !s.ftv1 && s.header && s.bodyExtensions.length === 0)).toBe(true);

    seen.length = 0;
    traceRequests = true;
    try {
      const r = await query('{ product(id: "p1") { price createdBy { name } } }');
      expect(r.errors).toBeUndefined();
    } finally { traceRequests = false; }
    expect(seen.map((s) => s.subgraph).sort()).toEqual(['fxinventory', 'fxproducts', 'fxusers']);
    expect(seen.every((s) => s.ftv1)).toBe(true);
  });

  it('never traces when the module turns tracing off', async () => {
    const pair = await newKeyPair('fixture-gateway');
    const off = await startSubgraph({ ...fxusers, federation: { ...fxusers.federation, tracing: false } }, {
      client: {}, assertionKey: (await importJWK(pair.publicJwk, 'ES256')) as CryptoKey, policy: false, log: createLogger('fixtures', 'silent'),
    });
    try {
      const q = '{ user(email: "bob@example.org") { name } }';
      const token = await signAssertion((await importJWK(pair.privateJwk, 'ES256')) as CryptoKey, pair.kid, 'fxusers', { subject: 'f', agency: 'AUDIT', roles: [], purpose: 'AUDIT', justification: null, staffCode: null, relationships: NO_RELATIONSHIPS, requestId: 'f' }, { query: q });
      const res = await fetch(off.url, { method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: token, 'apollo-federation-include-trace': 'ftv1' }, body: JSON.stringify({ query: q }) });
      expect(await res.json()).toEqual({ data: { user: { name: 'Bob' } } });
    } finally { await off.close(); }
  });
});

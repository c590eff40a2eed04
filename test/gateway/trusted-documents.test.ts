// Trusted documents: a client's operations registered from its .graphql files, and a gateway in
// `require` mode that runs those and nothing else.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../platform/stack.js';
import { registerOperations } from '../../scripts/operations-register.js';
import type { Manifest } from '../../gateway/trusted-documents.js';
import { post } from '../helpers/stack.js';

const fixtures = new URL('../fixtures/', import.meta.url).pathname;
let dir: string;
let manifestPath: string;
let manifest: Manifest;
let stack: Stack;
let headers: Record<string, string>;

const legacyCalls = () => [...stack.standIns.values()].reduce((n, s) => n + s.requests.get(), 0);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trusted-'));
  manifestPath = join(dir, 'trusted-documents.json');
  await registerOperations([join(fixtures, 'operations')], { manifest: manifestPath, client: 'case-worklist-web' });
  manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  stack = await startStack({ logLevel: 'silent', edge: { production: true, trustedDocuments: { path: manifestPath, mode: 'require' } } });
  headers = { authorization: `Bearer ${await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] })}`, 'x-purpose': 'INVESTIGATION' };
}, 120_000);
afterAll(async () => { await stack?.close(); await rm(dir, { recursive: true, force: true }); });

describe('npm run operations:register', () => {
  it('writes each named operation with the fragments it uses, keyed by its sha256', () => {
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(manifest.operations.map((o) => o.name).sort()).toEqual(['PersonById', 'PersonSummary']);
    const summary = manifest.operations.find((o) => o.name === 'PersonSummary')!;
    expect(summary.body).toContain('fragment PersonName on Person');
    expect(summary).toMatchObject({ type: 'query', clientName: 'case-worklist-web', id: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('registers the same text once, however often it is run', async () => {
    const again = await registerOperations([join(fixtures, 'operations')], { manifest: manifestPath });
    expect(again).toMatchObject({ added: [], total: 2 });
  });

  it('refuses an operation the graph cannot answer, naming the file and operation, and writes nothing', async () => {
    const out = join(dir, 'other.json');
    await expect(registerOperations([join(fixtures, 'operations-bad')], { manifest: out })).rejects.toThrow(/typo\.graphql: Typo: .*personByIdentifer/);
    await expect(readFile(out)).rejects.toThrow();
  });
});

describe('a gateway that requires trusted documents', () => {
  const pnc = () => stack.population.people[stack.population.examples.everywhere].pnc!;
  const idOf = (name: string) => manifest.operations.find((o) => o.name === name)!.id;

  it('runs a registered operation sent by id (documentId or Apollo Client\'s persisted-query extension)', async () => {
    const byId = await post(stack.gatewayUrl, { documentId: `sha256:${idOf('PersonSummary')}`, variables: { pnc: pnc() } }, headers);
    expect(byId.status).toBe(200);
    expect(byId.body.data!.personByIdentifier.name.fullName).toBeTruthy();
    const byHash = await post(stack.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: idOf('PersonSummary') } }, variables: { pnc: pnc() } }, headers);
    expect(byHash.body.data).toEqual(byId.body.data);
  });

  it('refuses any other document before any agency is asked', async () => {
    const before = legacyCalls();
    const free = await post(stack.gatewayUrl, { query: 'query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { id } }', variables: { pnc: pnc() } }, headers);
    expect({ status: free.status, code: free.body.errors![0].extensions!.code }).toEqual({ status: 400, code: 'OPERATION_NOT_TRUSTED' });
    const unknown = await post(stack.gatewayUrl, { documentId: 'f'.repeat(64), variables: { pnc: pnc() } }, headers);
    expect({ status: unknown.status, code: unknown.body.errors![0].extensions!.code }).toEqual({ status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' });
    // An unknown id with text is not a registration: nothing is learnt, the text is refused as any other.
    const register = await post(stack.gatewayUrl, { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'e'.repeat(64) } } }, headers);
    expect(register.status).toBe(400);
    expect(legacyCalls()).toBe(before);
  });
});

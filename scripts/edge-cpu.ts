// npm run bench:edge [-- --runs N]: the CPU the gateway spends refusing each probe of the bad-input
// battery, with the limits' defaults and the production posture. The whole stack runs in this process,
// but a refused probe reaches no subgraph and no stand-in (the script checks: their request counters
// must not move), so process.cpuUsage() around the request measures the edge alone, plus the client's
// write of a prepared buffer. Each probe is sent a few times to warm up, then N times; median and max.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import http from 'node:http';
import { SignJWT } from 'jose';
import { signAssertion } from '../auth/assertion.js';
import { ALG, importKey } from '../auth/keys.js';
import { startStack } from '../platform/stack.js';
import { NO_RELATIONSHIPS } from '../subgraphs/types.js';
import { aliases, QUERY_PROBES } from '../test/helpers/probes.js';

const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 20;
const stack = await startStack({ logLevel: 'silent', edge: { production: true } });
const pnc = stack.population.people[stack.population.examples.everywhere].pnc!;
const legacyCalls = () => [...stack.standIns.values()].reduce((n, s) => n + s.requests.get(), 0);

function send(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, code: JSON.parse(Buffer.concat(chunks).toString()).errors?.[0]?.extensions?.code ?? '' }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let n = 0;
const freshOfficer = async () => ({ authorization: `Bearer ${await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'], subject: `bench-${n++}` })}`, 'x-purpose': 'INVESTIGATION' });

async function measure(name: string, url: string, body: object | string, headers: () => Promise<Record<string, string>>, expected: string, refused = true) {
  const buf = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const hs = await Promise.all(Array.from({ length: runs + 3 }, headers));
  const cpu: number[] = [];
  const before = legacyCalls();
  let seen = '';
  for (let i = 0; i < runs + 3; i++) {
    const t = process.cpuUsage();
    const r = await send(url, buf, hs[i]);
    const d = process.cpuUsage(t);
    seen = `${r.status} ${r.code}`;
    if (i >= 3) cpu.push((d.user + d.system) / 1000);
  }
  if (refused && legacyCalls() !== before) throw new Error(`${name}: legacy calls were made`);
  if (!seen.endsWith(expected)) throw new Error(`${name}: expected ${expected}, got ${seen}`);
  cpu.sort((a, b) => a - b);
  console.log(`| ${name} | ${(buf.length / 1024).toFixed(1)} KB | ${seen} | ${cpu[cpu.length >> 1].toFixed(2)} | ${cpu[cpu.length - 1].toFixed(2)} |`);
}

console.log(`gateway CPU per refused probe (ms, median and max of ${runs}; defaults, NODE_ENV=production posture)\n`);
console.log('| probe | body | answer | CPU median ms | CPU max ms |\n| --- | --- | --- | --- | --- |');
try {
  await measure('accepted, for scale: one person by PNC (includes subgraphs and stand-ins)', stack.gatewayUrl, { query: 'query($p: String!) { personByIdentifier(type: PNC, value: $p) { id name { fullName } } }', variables: { p: pnc } }, freshOfficer, '', false);
  for (const p of QUERY_PROBES) await measure(p.name, stack.gatewayUrl, p.body(pnc), freshOfficer, p.code);

  const key = await importKey(stack.issuer.privateJwk);
  const now = Math.floor(Date.now() / 1000);
  const token = (claims: Record<string, number>) => async () => ({ 'x-purpose': 'INVESTIGATION', authorization: `Bearer ${await new SignJWT({ agency: 'POLICE', roles: ['POLICE_OFFICER'], ...claims })
    .setProtectedHeader({ alg: ALG, kid: stack.issuer.kid }).setSubject('mallory').setIssuer(stack.auth.issuer).setAudience(stack.auth.audience).sign(key)}` });
  await measure('token without exp', stack.gatewayUrl, { query: '{ __typename }' }, token({ iat: now }), 'UNAUTHENTICATED');
  await measure('token issued a year ahead', stack.gatewayUrl, { query: '{ __typename }' }, token({ iat: now + 365 * 86400, exp: now + 365 * 86400 + 3600 }), 'UNAUTHENTICATED');

  const entities = { query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { arrests { date } } } }', variables: { representations: Array.from({ length: 20_000 }, (_, i) => ({ __typename: 'Person', id: `P1:police=${400000 + i}` })) } };
  const caller = { subject: 'mallory', agency: 'POLICE', roles: ['POLICE_OFFICER'], purpose: 'INVESTIGATION', justification: null, requestId: 'bench-entities', staffCode: null, relationships: NO_RELATIONSHIPS };
  const assertion = await signAssertion(await importKey(stack.gatewayKeys.privateJwk), stack.gatewayKeys.kid, 'police', caller, entities);
  await measure('20,000 _entities representations (police subgraph)', stack.subgraphs.get('police')!.url, entities, async () => ({ 'x-caller-assertion': assertion }), 'TOO_MANY_REPRESENTATIONS');

  // The sweep: one user spends the distinct-people allowance (these requests do reach the agencies), then is refused.
  const sweeper = { authorization: `Bearer ${await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'], subject: 'sweeper' })}`, 'x-purpose': 'INVESTIGATION' };
  const lookups = (from: number) => ({ query: aliases(20, (k) => `personByIdentifier(type: CRN, value: "2019/${String(from + k).padStart(7, '0')}Z") { id }`) });
  for (let i = 0; i < 10; i++) await send(stack.gatewayUrl, Buffer.from(JSON.stringify(lookups(i * 20))), sweeper);
  await measure('500-person sweep, past 200 people (429)', stack.gatewayUrl, lookups(200), async () => sweeper, 'TOO_MANY_SUBJECTS');
} finally {
  await stack.close();
}

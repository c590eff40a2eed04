// What operators and load balancers see: /health says the process serves, /ready says whether it can
// answer truthfully now (audit store writable, every subgraph reachable, no breaker failing fast), per
// subgraph, with no hosts or paths, and returns to 200 by itself once the fault clears. And what clients
// see of a subgraph's internal error text: nothing but the agency and a stable code.
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../platform/stack.js';
import { codes, query } from '../helpers/stack.js';

let stack: Stack;
let auditDir: string;
beforeAll(async () => {
  auditDir = await mkdtemp(join(tmpdir(), 'ready-audit-'));
  // Breaker and timeout from the environment, as npm start reads them.
  const env = { ...process.env, GATEWAY_BREAKER_FAILURES: '1', GATEWAY_BREAKER_COOLDOWN_MS: '300', GATEWAY_SUBGRAPH_TIMEOUT_MS: '4000', GATEWAY_READY_TIMEOUT_MS: '5000' };
  stack = await startStack({ population: { size: 150 }, logLevel: 'silent', env, auditEnv: { AUDIT_DIR: auditDir } });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await rm(auditDir, { recursive: true, force: true });
});

const base = () => new URL(stack.gatewayUrl).origin;
async function get(path: string) {
  const res = await fetch(`${base()}${path}`);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), text };
}

/** Asks /ready until it answers `status` (each answer is a fresh round of probes), failing after `ms`. */
async function readyBecomes(status: number, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const r = await get('/ready');
    if (r.status === status || Date.now() > until) return r;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const person = () => stack.population.people[stack.population.examples.everywhere];
const Q = 'query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { name { fullName } cases { urn } custodyPeriods { receptionDate } } }';

/** Nothing that locates or describes the inside of the system. */
const NO_INTERNALS = /127\.0\.0\.1|localhost|https?:|\/graphql|\/health|ECONN|:\d{2,5}\b/;

describe('the stack npm start runs', () => {
  it('takes the breaker and subgraph timeout from the environment', () => {
    for (const b of stack.gateway.breakers.values()) expect({ failures: b.failures, cooldownMs: b.cooldownMs, timeoutMs: b.timeoutMs }).toEqual({ failures: 1, cooldownMs: 300, timeoutMs: 4000 });
  });
});

describe('/health and /ready', () => {
  it('are 200 with every subgraph reachable and closed, the audit store writable, and no hosts or paths', async () => {
    const health = await get('/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'UP' } });
    const ready = await get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('READY');
    expect(ready.body.audit).toBe('WRITABLE');
    expect(Object.keys(ready.body.subgraphs).sort()).toEqual([...stack.subgraphs.keys()].sort());
    for (const s of Object.values(ready.body.subgraphs)) expect(s).toEqual({ reachable: true, source: 'UP', breaker: 'CLOSED' });
    expect(ready.text).not.toMatch(NO_INTERNALS);
  });

  it('goes 503 naming a stopped subgraph and its open breaker, and back to 200 by itself once it is restarted', async () => {
    await stack.subgraphs.get('courts')!.close();
    const r = await query(stack, 'POLICE', Q, { pnc: person().pnc });
    expect(codes(r)).toContain('SOURCE_UNAVAILABLE:courts');
    const down = await get('/ready');
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('NOT_READY');
    expect(down.body.subgraphs.courts).toMatchObject({ reachable: false, source: 'UNKNOWN' });
    expect(['OPEN', 'HALF_OPEN']).toContain(down.body.subgraphs.courts.breaker);
    expect(down.body.subgraphs.police).toEqual({ reachable: true, source: 'UP', breaker: 'CLOSED' });
    expect(down.text).not.toMatch(NO_INTERNALS);
    // /health is liveness only: the process still serves, so it is not restarted for an outage elsewhere.
    expect((await get('/health')).status).toBe(200);

    await stack.restartSubgraph('courts');
    const back = await readyBecomes(200);
    expect(back.status).toBe(200);
    expect(back.body.subgraphs.courts.reachable).toBe(true);
    const again = await query(stack, 'POLICE', Q, { pnc: person().pnc });
    expect(codes(again)).not.toContain('SOURCE_UNAVAILABLE:courts');
    expect(again.body.data.personByIdentifier.cases.length).toBeGreaterThan(0);
    expect((await get('/ready')).body.subgraphs.courts.breaker).toBe('CLOSED');
  });

  it("reports an agency's legacy system down per agency without taking the gateway out", async () => {
    const prisons = stack.standIns.get('prisons')!;
    prisons.faults.set({ down: true });
    try {
      const r = await get('/ready');
      expect(r.body.subgraphs.prisons).toMatchObject({ reachable: true, source: 'DOWN' });
      expect(r.status).toBe(200);
    } finally {
      prisons.faults.reset();
    }
  });

  it('goes 503 while the audit store cannot take writes, and back to 200 by itself when it can', async () => {
    const log = join(auditDir, 'records.jsonl');
    await query(stack, 'POLICE', Q, { pnc: person().pnc }); // the log exists
    await rename(log, `${log}.away`);
    try {
      const r = await get('/ready');
      expect(r.status).toBe(503);
      expect(r.body.audit).toBe('UNAVAILABLE');
      expect(r.text).not.toMatch(/records\.jsonl|ready-audit|ENOENT/);
      const refused = await query(stack, 'POLICE', Q, { pnc: person().pnc });
      expect(refused.status).toBe(503);
    } finally {
      await rename(`${log}.away`, log);
    }
    const back = await readyBecomes(200);
    expect(back.body.audit).toBe('WRITABLE');
  });
});

describe("a subgraph's internal error text", () => {
  const INTERNAL = 'prisons POST /attribute-search: HTTP 503 from http://10.20.30.40:8443/api could not read block 0 in file "base/16384/2619"';
  let fake: Server | undefined;
  afterAll(async () => {
    if (fake) await new Promise<void>((r) => { fake!.closeAllConnections(); fake!.close(() => r()); });
    await stack.restartSubgraph('prisons');
  });

  it('never reaches the client: it reads the agency and a stable code', async () => {
    // In place of the prisons subgraph, on its port: answers every entity with null and the internal text, as codes the gateway passes.
    const port = Number(new URL(stack.subgraphs.get('prisons')!.url).port);
    await stack.subgraphs.get('prisons')!.close();
    fake = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables?: { representations?: unknown[] } };
        const n = body.variables?.representations?.length ?? 0;
        const errors = Array.from({ length: n }, (_, i) => ({
          message: INTERNAL, path: ['_entities', i, 'custodyPeriods'],
          extensions: { code: i % 2 ? 'BAD_SOURCE_DATA' : 'SOURCE_UNAVAILABLE', agency: 'prisons', operation: 'POST /attribute-search', recordId: 'A1234AA' },
        }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: n ? { _entities: Array.from({ length: n }, () => null) } : null, errors: n ? errors : [{ message: INTERNAL, extensions: { code: 'SOURCE_TIMEOUT', agency: 'prisons' } }] }));
      });
    });
    await new Promise<void>((r) => fake!.listen(port, '127.0.0.1', () => r()));
    const r = await query(stack, 'POLICE', Q, { pnc: person().pnc });
    expect(r.body.errors?.length).toBeGreaterThan(0);
    expect(r.text).not.toContain(JSON.stringify(INTERNAL).slice(1, -1)); // the exact text as it would appear in the JSON body
    expect(r.body.errors!.map((e) => e.message)).not.toContain(INTERNAL);
    for (const fragment of ['attribute-search', '10.20.30.40', '8443', 'HTTP 503', 'base/16384', 'could not read block']) expect(r.text).not.toContain(fragment);
    const prisons = r.body.errors!.filter((e) => e.extensions?.agency === 'prisons');
    expect(prisons.length).toBeGreaterThan(0);
    for (const e of prisons) {
      expect(['SOURCE_UNAVAILABLE', 'BAD_SOURCE_DATA', 'SOURCE_TIMEOUT']).toContain(e.extensions!.code);
      expect(e.message).toMatch(/^(The prisons system is unavailable|A prisons record could not be read faithfully|The prisons system did not answer in time)$/);
      expect(e.extensions).not.toHaveProperty('operation');
    }
    expect(r.body.data.personByIdentifier.name.fullName).toMatch(/\w/); // the rest of the person is still there
  });
});

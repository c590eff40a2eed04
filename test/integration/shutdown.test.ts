// Graceful shutdown of the standalone gateway (npm run gateway) in a child process, in front of this
// test's subgraphs and stand-ins: SIGTERM during a slow request stops new connections, lets the request
// finish with its full answer, flushes the audit trail (a final signed checkpoint), and exits 0; past
// the drain deadline the request is cut and the exit code says so.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphUrlVariable } from '../../platform/config.js';
import { startStack, type Stack } from '../../platform/stack.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let stack: Stack;
let keysDir: string;
const dirs: string[] = [];
const savedKeysDir = process.env.DEV_KEYS_DIR;

beforeAll(async () => {
  // The child gateway and this test's subgraphs must trust the same keys: both read them from one development key folder.
  keysDir = await mkdtemp(join(tmpdir(), 'shutdown-keys-'));
  process.env.DEV_KEYS_DIR = keysDir;
  stack = await startStack({ population: { size: 150 }, logLevel: 'silent', keys: 'dev', auditEnv: { AUDIT_DIR: await tmp('shutdown-stack-audit-') } });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  if (savedKeysDir === undefined) delete process.env.DEV_KEYS_DIR; else process.env.DEV_KEYS_DIR = savedKeysDir;
  for (const d of [keysDir, ...dirs]) await rm(d, { recursive: true, force: true });
});

async function tmp(prefix: string) {
  const d = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

interface Child { process: ChildProcess; url: string; output: () => string; exited: Promise<number | null>; said(text: string): Promise<void> }

/** `npm run gateway` as a child, pointed at this test's subgraphs; resolves once it prints its URL. */
function startGatewayProcess(env: Record<string, string>): Promise<Child> {
  const urls = Object.fromEntries([...stack.subgraphs].map(([n, s]) => [subgraphUrlVariable(n), s.url]));
  return startProcess('scripts/gateway.ts', { ...urls, ...env }, /gateway: (http\S+)/);
}

async function startProcess(script: string, env: Record<string, string>, urlLine: RegExp): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DEV_KEYS_DIR: keysDir, GATEWAY_PORT: '0', LOG_LEVEL: 'silent', ...env },
  });
  let out = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const onData = (b: Buffer) => {
    out += b.toString('utf8');
    for (const w of waiters.filter((x) => out.includes(x.text))) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const said = (text: string) => new Promise<void>((resolve, reject) => {
    if (out.includes(text)) return resolve();
    waiters.push({ text, resolve });
    void exited.then(() => reject(new Error(`gateway exited before printing "${text}":\n${out}`)));
  });
  await new Promise<void>((resolve, reject) => {
    const check = () => { if (urlLine.test(out)) { child.stdout!.off('data', check); resolve(); } };
    child.stdout!.on('data', check);
    check();
    void exited.then(() => reject(new Error(`${script} exited before it was up:\n${out}`)));
  });
  const url = urlLine.exec(out)![1];
  return { process: child, url, output: () => out, exited, said };
}

const person = () => stack.population.people[stack.population.examples.everywhere];

async function slowRequest(url: string, selection = 'name { fullName } arrests { date }') {
  const token = await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] });
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION' },
    body: JSON.stringify({ query: `query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { ${selection} } }`, variables: { pnc: person().pnc } }),
  }).then(async (res) => ({ status: res.status, body: await res.json() as { data?: any; errors?: unknown[] } }));
}

/** Resolves once the stand-in has been asked something: the request is in flight behind the gateway. */
async function asked(agency: string, before: number) {
  const standIn = stack.standIns.get(agency)!;
  const until = Date.now() + 20_000;
  while (standIn.requests.get() === before && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}
const policeAsked = (before: number) => asked('police', before);

describe('on SIGTERM the gateway', () => {
  it('stops accepting, finishes the request in flight with its full answer, flushes the audit trail and exits 0', async () => {
    const auditDir = await tmp('shutdown-child-audit-');
    const gw = await startGatewayProcess({ AUDIT_DIR: auditDir, SHUTDOWN_DRAIN_MS: '15000' });
    const police = stack.standIns.get('police')!;
    police.faults.set({ latencyMs: 700 });
    try {
      const before = police.requests.get();
      const answer = slowRequest(gw.url);
      await policeAsked(before);
      gw.process.kill('SIGTERM');
      await gw.said('SIGTERM: stopping; 1 request(s) in flight');
      // No new connections once stopping.
      await expect(fetch(gw.url.replace('/graphql', '/health'))).rejects.toThrow();
      const r = await answer;
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.personByIdentifier.name.fullName).toMatch(/\w/);
      expect(r.body.data.personByIdentifier.arrests.length).toBeGreaterThan(0);
      expect(await gw.exited).toBe(0);
    } finally {
      police.faults.reset();
      gw.process.kill('SIGKILL');
    }
    // The request's record was written before its answer, and the trail was closed with a signed checkpoint of it.
    const records = (await readFile(join(auditDir, 'records.jsonl'), 'utf8')).trim().split('\n');
    const checkpoints = (await readFile(join(auditDir, 'checkpoints.jsonl'), 'utf8')).trim().split('\n');
    expect(records).toHaveLength(1);
    expect(JSON.parse(checkpoints.at(-1)!).seq).toBe(JSON.parse(records[0]).seq);
  }, 90_000);

  it('cuts what is still running at the drain deadline and exits non-zero', async () => {
    const gw = await startGatewayProcess({ AUDIT_DIR: await tmp('shutdown-child-audit-'), SHUTDOWN_DRAIN_MS: '200' });
    const police = stack.standIns.get('police')!;
    police.faults.set({ latencyMs: 3000 });
    try {
      const before = police.requests.get();
      const answer = slowRequest(gw.url).then(() => 'answered', () => 'cut');
      await policeAsked(before);
      const stopped = Date.now();
      gw.process.kill('SIGTERM');
      expect(await gw.exited).toBe(1);
      expect(Date.now() - stopped).toBeLessThan(2500);
      expect(await answer).toBe('cut');
      expect(gw.output()).toContain('drain deadline passed: 1 request(s) cut');
    } finally {
      police.faults.reset();
      gw.process.kill('SIGKILL');
    }
  }, 90_000);

  it('npm start does the same: the request in flight gets its answer, then everything stops and it exits 0', async () => {
    // npm start uses a legacy system the environment locates: this test's prisons stand-in, whose latency the test sets.
    const prisons = stack.standIns.get('prisons')!;
    const start = await startProcess('scripts/start.ts', { ...prisons.env, POPULATION_SIZE: '150', AUDIT_DIR: await tmp('shutdown-start-audit-'), SHUTDOWN_DRAIN_MS: '15000' }, /gateway\s+(http\S+)/);
    prisons.faults.set({ latencyMs: 700 });
    try {
      expect(start.output()).toMatch(/prisons\s+as configured by PRISONS_URL/);
      const before = prisons.requests.get();
      const answer = slowRequest(start.url, 'name { fullName } custodyPeriods { receptionDate }');
      await asked('prisons', before);
      start.process.kill('SIGTERM');
      const r = await answer;
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.personByIdentifier.custodyPeriods.length).toBeGreaterThan(0);
      expect(await start.exited).toBe(0);
      expect(start.output()).toContain('stopped');
    } finally {
      prisons.faults.reset();
      start.process.kill('SIGKILL');
    }
  }, 120_000);
});

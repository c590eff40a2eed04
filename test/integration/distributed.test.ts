// The distributed topology as an operator runs it (npm run start:distributed): every piece its own
// process, two gateways behind the round-robin front, the audit trail in PostgreSQL. The README example
// goes through the front, an auditor finds its record through the graph, audit:verify accepts the chain,
// and a process that dies takes the topology down, named. Needs the machine's PostgreSQL and Redis
// (TEST_DATABASE_URL, TEST_REDIS_URL), which .ci/run starts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPgAudit } from '../../audit/pg-schema.js';
import { importKey, loadOrCreateDevKeyPair } from '../../auth/keys.js';
import { issueToken } from '../../auth/tokens.js';
import { generatePopulation } from '../../legacy/population.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const suffix = randomBytes(4).toString('hex');
const deployment = { schema: `audit_dist_${suffix}`, appRole: `audit_dist_app_${suffix}`, retentionRole: `audit_dist_ret_${suffix}`, readerRole: `audit_dist_read_${suffix}` };
const roleUrl = (role: string) => Object.assign(new URL(ADMIN_URL), { username: role }).toString();
const example = generatePopulation({ size: 2, seed: 20261101 }).people[0];

interface Topology { front: string; startupMs: number; processes: { name: string; pid: number; url: string; rssMb: number | null }[] }

let keysDir: string;
let env: NodeJS.ProcessEnv;
let launcher: ChildProcess;
let topology: Topology;
const stderr: string[] = [];
const exited = () => new Promise<{ code: number | null; signal: string | null }>((resolve) => {
  if (launcher.exitCode !== null || launcher.signalCode !== null) resolve({ code: launcher.exitCode, signal: launcher.signalCode });
  else launcher.once('exit', (code, signal) => resolve({ code, signal }));
});

/** Runs `node --import tsx <script>` to the end: its exit code and output. */
function run(script: string, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => resolve({ code, stdout: out, stderr: err }));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  keysDir = await mkdtemp(join(tmpdir(), 'dist-keys-'));
  env = {
    ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DEV_KEYS_DIR: keysDir, POPULATION_SIZE: '200',
    AUDIT_ADMIN_DATABASE_URL: ADMIN_URL, AUDIT_DB_SCHEMA: deployment.schema,
    AUDIT_APP_ROLE: deployment.appRole, AUDIT_RETENTION_ROLE: deployment.retentionRole, AUDIT_READER_ROLE: deployment.readerRole,
    GATEWAY_RATE_LIMIT_REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', GATEWAY_RATE_LIMIT_PREFIX: `jg:rl:dist:${suffix}`,
    // Ten cold processes on a CI machine running the rest of the suite beside them: the first request
    // compiles every process's code paths. Deadlines sized for that, so a slow machine is not an outage.
    GATEWAY_REQUEST_DEADLINE_MS: '60000', GATEWAY_SUBGRAPH_TIMEOUT_MS: '50000', IDENTITY_LINK_BUDGET_MS: '40000',
    DISTRIBUTED_READY_TIMEOUT_MS: '300000',
    POLICE_TIMEOUT_MS: '30000', COURTS_TIMEOUT_MS: '30000', PRISONS_TIMEOUT_MS: '30000', PROBATION_TIMEOUT_MS: '30000', VICTIMS_TIMEOUT_MS: '30000',
  };
  for (const k of ['AUDIT_DATABASE_URL', 'AUDIT_DIR', 'AUDIT_SIGNING_KEY', 'AUDIT_PUBLIC_KEYS', 'GATEWAY_PORT', 'DISTRIBUTED_PORT']) delete env[k];
  launcher = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-distributed.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: launcher.stderr! }).on('line', (l) => stderr.push(l));
  // Ready when the launcher says so (after every child announced itself); the timeout is only a guard.
  topology = await new Promise<Topology>((resolve, reject) => {
    let t: Topology | undefined;
    createInterface({ input: launcher.stdout! }).on('line', (line) => {
      if (line.startsWith('# topology ')) t = JSON.parse(line.slice('# topology '.length)) as Topology;
      if (line.startsWith('# distributed ready ') && t) resolve(t);
    });
    launcher.once('exit', (code) => reject(new Error(`start:distributed exited with ${code} before it was ready:\n${stderr.slice(-30).join('\n')}`)));
  });
  // The figures for the notes: start-up time and each process's resident memory.
  console.info(`distributed topology ready in ${(topology.startupMs / 1000).toFixed(1)} s; RSS MB: ${topology.processes.map((p) => `${p.name} ${p.rssMb}`).join(', ')}`);
}, 480_000);

afterAll(async () => {
  if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
    launcher.kill('SIGTERM');
    await exited();
  }
  await dropPgAudit(ADMIN_URL, deployment).catch(() => {});
  await rm(keysDir, { recursive: true, force: true });
}, 60_000);

async function post(query: string, variables: Record<string, unknown>, caller: { role: string; agency: string; purpose: string; subject: string }) {
  const issuer = await loadOrCreateDevKeyPair('issuer', keysDir);
  const token = await issueToken(await importKey(issuer.privateJwk), issuer.kid, { subject: caller.subject, agency: caller.agency, roles: [caller.role], issuer: 'justice-graph-dev', audience: 'justice-graph' });
  const res = await fetch(topology.front, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': caller.purpose, 'x-justification': 'distributed topology test' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, any>; errors?: { extensions?: { code?: string } }[] } };
}

describe('the distributed topology (npm run start:distributed)', () => {
  it('runs the stand-ins, every subgraph and two gateways as separate processes, each on its own port', () => {
    const names = topology.processes.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['stand-ins', 'police', 'courts', 'prisons', 'probation', 'victims', 'identity', 'audit', 'gateway-1', 'gateway-2']));
    expect(new Set(topology.processes.map((p) => p.pid)).size).toBe(topology.processes.length);
    const ports = topology.processes.map((p) => new URL(p.url).port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(topology.processes.every((p) => new URL(p.url).hostname === '127.0.0.1')).toBe(true);
  });

  it('answers the README example through the round-robin front, every agency reached', { timeout: 120_000 }, async () => {
    const r = await run('scripts/example.ts', ['--url', topology.front]);
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as { data: { personByIdentifier: { name: { fullName: string; surname: string }; links: { agency: string }[] } }; errors?: { extensions: { code: string } }[] };
    expect(answer.data.personByIdentifier.name).toMatchObject({ surname: example.surname, fullName: expect.stringContaining(example.forename) });
    expect(answer.data.personByIdentifier.links.map((l) => l.agency)).toEqual(expect.arrayContaining(['POLICE', 'COURTS', 'PRISONS', 'PROBATION']));
    // Withheld fields are expected for a police officer; an outage of any agency's process is not.
    expect((answer.errors ?? []).map((e) => e.extensions.code).filter((c) => c !== 'FORBIDDEN')).toEqual([]);
  });

  it("lets an auditor find the example request's record, written by a gateway and read by the auditors' subgraph", async () => {
    const auditor = { role: 'AUDITOR', agency: 'AUDIT', purpose: 'AUDIT', subject: `auditor-${suffix}` };
    const q = `query Access($pnc: String!) { auditAccessToPerson(type: PNC, value: $pnc) { records { seq requestId caller { subject roles } purpose justification operationName outcome } } }`;
    const r = await post(q, { pnc: example.pnc }, auditor);
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    const records = r.body.data!.auditAccessToPerson.records as { caller: { subject: string }; justification: string; operationName: string; outcome: string }[];
    expect(records).toContainEqual(expect.objectContaining({
      caller: { subject: 'dev-example', roles: ['POLICE_OFFICER'] }, purpose: 'INVESTIGATION', justification: 'npm run example', operationName: 'Person', outcome: expect.stringMatching(/SUCCESS|PARTIAL/),
    }));
  });

  it('spreads requests over both gateways, which write one chain that audit:verify accepts', async () => {
    const officer = { role: 'POLICE_OFFICER', agency: 'POLICE', purpose: 'INVESTIGATION', subject: `officer-${suffix}` };
    for (let i = 0; i < 4; i++) expect((await post('query One($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { id } }', { pnc: example.pnc }, officer)).status).toBe(200);
    const verify = await run('scripts/audit-verify.ts', [], { AUDIT_DATABASE_URL: roleUrl(deployment.readerRole), AUDIT_DB_SCHEMA: deployment.schema });
    expect(verify.stderr).toBe('');
    expect(verify.stdout).toMatch(new RegExp(`^audit trail OK \\(PostgreSQL schema ${deployment.schema}\\): records 1\\.\\.([6-9]|\\d\\d)`));
    expect(verify.code).toBe(0);
  });

  it('migrates idempotently: audit:migrate after the launcher changes nothing, and the reader role cannot write', async () => {
    const again = await run('scripts/audit-migrate.ts', []);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already up to date, no change/);
    const reader = new pg.Client({ connectionString: roleUrl(deployment.readerRole), options: `-c search_path=${deployment.schema}` });
    await reader.connect();
    try {
      expect((await reader.query('SELECT count(*)::int AS n FROM audit_record')).rows[0].n).toBeGreaterThan(0);
      await expect(reader.query("INSERT INTO audit_checkpoint (seq, hash, time, kid, signature) VALUES (1, repeat('0', 64), now(), 'k', 's')")).rejects.toThrow(/permission denied/);
    } finally {
      await reader.end();
    }
  });

  it('stops every process, naming the one that died, when a subgraph process dies; the gateways close the chain with a checkpoint', async () => {
    const victims = topology.processes.find((p) => p.name === 'victims')!;
    const done = exited();
    process.kill(victims.pid, 'SIGKILL');
    expect(await done).toEqual({ code: 1, signal: null });
    expect(stderr.join('\n')).toMatch(new RegExp(`victims \\(pid ${victims.pid}\\) was killed by SIGKILL; stopping the whole topology`));
    expect(stderr.join('\n')).toMatch(/the front sent [1-9]\d* requests to gateway-1, [1-9]\d* requests to gateway-2/);
    expect(topology.processes.filter((p) => alive(p.pid)).map((p) => p.name)).toEqual([]);
    const verify = await run('scripts/audit-verify.ts', [], { AUDIT_DATABASE_URL: roleUrl(deployment.readerRole), AUDIT_DB_SCHEMA: deployment.schema });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/records 1\.\.\d+, [1-9]\d* signed checkpoints/);
  });
});

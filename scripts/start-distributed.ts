// npm run start:distributed: the system as an agency would deploy it, every piece its own process on
// loopback: the stand-in legacy systems (npm run stand-ins), one process per subgraph (npm run subgraph),
// two gateway instances (npm run gateway) behind a round-robin front, the audit trail in PostgreSQL
// (migrated first, as npm run audit:migrate does), rate-limit counters shared through Redis.
// Every port is chosen by the OS and passed on; readiness is each child's own "ready" line on stdout.
// Ctrl-C (or SIGTERM) stops every child; a child that dies stops the whole topology, naming it.
// Standard output: the summary and a final `# distributed ready <url>` line; children's logs go to
// standard error, each line prefixed with the process name. docs/operations.md explains the topology.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { devKeysDir, loadOrCreateDevKeyPair } from '../auth/keys.js';
import { loadOrCreateAuditDevKeyPair, publicJwkOf } from '../audit/checkpoint.js';
import { migrateDeployment, pgAuditDeployment, roleUrl } from '../audit/deployment.js';
import { startRoundRobin, type RoundRobin } from '../platform/round-robin.js';
import { SUBGRAPH_NAMES } from '../subgraphs/index.js';

type Env = Record<string, string | undefined>;

if (process.env.NODE_ENV === 'production') {
  // The stand-ins hold a synthetic population and development keys: this launcher is for development and CI.
  console.error('npm run start:distributed is a development topology; it refuses NODE_ENV=production (see docs/operations.md)');
  process.exit(1);
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = Number(process.env.DISTRIBUTED_READY_TIMEOUT_MS ?? 180_000);
const STOP_TIMEOUT_MS = 10_000;
const GATEWAYS = Number(process.env.DISTRIBUTED_GATEWAYS ?? 2);
if (!Number.isInteger(GATEWAYS) || GATEWAYS < 1 || GATEWAYS > 16) {
  console.error(`DISTRIBUTED_GATEWAYS must be a whole number from 1 to 16, got "${process.env.DISTRIBUTED_GATEWAYS}"`);
  process.exit(2);
}

interface Child {
  name: string;
  proc: ChildProcess;
  /** The last lines it wrote, to show when it dies. */
  tail: string[];
  /** Who else wants each stdout line (readiness waits). */
  onStdout: Set<(line: string) => void>;
  url?: string;
}

const children: Child[] = [];
let stopping = false;
let front: RoundRobin | undefined;
const started = Date.now();

const say = (line: string) => process.stderr.write(`[start:distributed] ${line}\n`);

/** Starts `node --import tsx <script> <args>` with the exit-with-parent guard and an IPC channel for it. */
function launch(name: string, script: string, args: string[], env: Env): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--import', './platform/exit-with-parent.ts', script, ...args], {
    cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Its own process group: Ctrl-C reaches the launcher alone, which stops the children in order.
    detached: true,
  });
  const child: Child = { name, proc, tail: [], onStdout: new Set() };
  children.push(child);
  const keep = (line: string) => {
    child.tail.push(line);
    if (child.tail.length > 20) child.tail.shift();
  };
  // Stand-ins print credentials for the subgraphs on stdout: those lines stay inside the launcher.
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    if (!line.startsWith('export ')) process.stderr.write(`[${name}] ${line}\n`);
    keep(line.startsWith('export ') ? line.replace(/=.*/, '=…') : line);
    for (const f of child.onStdout) f(line);
  });
  createInterface({ input: proc.stderr! }).on('line', (line) => {
    process.stderr.write(`[${name}] ${line}\n`);
    keep(line);
  });
  proc.on('exit', (code, signal) => {
    if (stopping) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    say(`${name} (pid ${proc.pid}) ${how}${child.url || name === 'stand-ins' ? '' : ' before it was ready'}; stopping the whole topology.`);
    if (child.tail.length) say(`last lines of ${name}:\n${child.tail.map((l) => `    ${l}`).join('\n')}`);
    void shutdown(1);
  });
  return child;
}

/** Resolves with the first stdout line matching `pattern` (the child's own readiness announcement). */
function readyLine(child: Child, pattern: RegExp, onLine?: (line: string) => void): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name} did not announce readiness within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    const listen = (line: string) => {
      onLine?.(line);
      const m = pattern.exec(line);
      if (m) {
        clearTimeout(timer);
        child.onStdout.delete(listen);
        resolve(m);
      }
    };
    child.onStdout.add(listen);
    child.proc.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited before it was ready`));
    });
  });
}

async function stopChild(c: Child): Promise<string | null> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return null;
  const exited = new Promise<void>((resolve) => c.proc.once('exit', () => resolve()));
  c.proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS)))]);
  clearTimeout(timer);
  if (!late) return null;
  c.proc.kill('SIGKILL');
  await exited;
  return `${c.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s and was killed`;
}

/** Stops the front, then the gateways, the core subgraphs, the agency subgraphs, the stand-ins: callers before callees. */
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (front) {
      const gateways = children.filter((c) => c.name.startsWith('gateway'));
      say(`the front sent ${front.served().map((n, i) => `${n} requests to ${gateways[i]?.name}`).join(', ')}`);
      await front.close().catch(() => {});
    }
    const order = [...children].reverse();
    const problems: string[] = [];
    for (const tier of [order.filter((c) => c.name.startsWith('gateway')), order.filter((c) => c.name === 'audit' || c.name === 'identity'), order.filter((c) => c.name !== 'stand-ins'), order]) {
      for (const p of await Promise.all(tier.map(stopChild))) if (p) problems.push(p);
    }
    problems.forEach(say);
    say(code === 0 ? `stopped ${children.length} processes` : `stopped; exit code ${code}`);
  }
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

/** Resident set size of a process in MB, from /proc (Linux); null elsewhere. */
export function rssMb(pid: number): number | null {
  try {
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/** Parses `export NAME='value'` as npm run stand-ins prints it. */
function parseExport(line: string): [string, string] | null {
  const m = /^export ([A-Z_][A-Z0-9_]*)='((?:[^']|'\\'')*)'$/.exec(line);
  return m ? [m[1], m[2].replaceAll(`'\\''`, "'")] : null;
}

async function main(): Promise<void> {
  const base: Env = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  // The trail is in PostgreSQL, at URLs derived from AUDIT_ADMIN_DATABASE_URL and the role names, so the
  // gateways and the auditors' subgraph cannot be pointed at different stores by a stray setting.
  delete base.AUDIT_DIR;
  delete base.AUDIT_DATABASE_URL;

  // Keys: from the environment when given; otherwise the development keys, created here once before any
  // child starts, so no two processes race to create different ones. Each process gets only what it needs.
  const dir = devKeysDir(base);
  // The issuer's key is only created here: gateways read its public half from DEV_KEYS_DIR (or use AUTH_JWKS_URL).
  await loadOrCreateDevKeyPair('issuer', dir);
  const [gatewayKeys, identityKeys] = await Promise.all((['gateway', 'identity'] as const).map((n) => loadOrCreateDevKeyPair(n, dir)));
  const auditKeys = await loadOrCreateAuditDevKeyPair(dir);
  const json = (v: object) => JSON.stringify(v);
  const keys = {
    gatewayPrivate: base.GATEWAY_ASSERTION_KEY ?? json(gatewayKeys.privateJwk),
    gatewayPublic: base.GATEWAY_ASSERTION_PUBLIC_KEY ?? json(gatewayKeys.publicJwk),
    identityPrivate: base.IDENTITY_ASSERTION_KEY ?? json(identityKeys.privateJwk),
    identityPublic: base.IDENTITY_ASSERTION_PUBLIC_KEY ?? json(identityKeys.publicJwk),
    auditServicePrivate: base.AUDIT_ASSERTION_KEY ?? json(auditKeys.privateJwk),
    auditServicePublic: base.AUDIT_ASSERTION_PUBLIC_KEY ?? json(auditKeys.publicJwk),
    auditSigning: base.AUDIT_SIGNING_KEY ?? json(auditKeys.privateJwk),
  };
  const auditPublic = base.AUDIT_PUBLIC_KEYS ?? json(publicJwkOf(JSON.parse(keys.auditSigning)));
  for (const k of ['GATEWAY_ASSERTION_KEY', 'IDENTITY_ASSERTION_KEY', 'AUDIT_ASSERTION_KEY', 'AUDIT_SIGNING_KEY'] as const) delete base[k];

  // The audit store: migrate (idempotent), then the gateways write as the app role and the auditors'
  // subgraph reads as the reader role, in the same schema.
  const deployment = pgAuditDeployment(base);
  const migration = await migrateDeployment(deployment);
  say(`audit store: schema "${deployment.schema}" ${migration.changed ? 'created or updated' : 'up to date'}${migration.createdDatabase ? ' (database created)' : ''}`);
  const auditStore = { AUDIT_DB_SCHEMA: deployment.schema };

  // 1. The stand-in legacy systems, which print the environment that locates them.
  const standInEnv: Record<string, string> = {};
  const standIns = launch('stand-ins', 'scripts/stand-ins.ts', [], { ...base, STAND_INS_ENV_FILE: undefined });
  await readyLine(standIns, /^# stand-ins ready$/, (line) => {
    const kv = parseExport(line);
    if (kv) standInEnv[kv[0]] = kv[1];
  });
  standIns.url = standInEnv.STAND_INS_CONTROL_URL;

  const subgraphEnv: Env = {
    ...base, STANDINS: 'off', SUBGRAPH_PORT: '0',
    GATEWAY_ASSERTION_PUBLIC_KEY: keys.gatewayPublic, IDENTITY_ASSERTION_PUBLIC_KEY: keys.identityPublic, AUDIT_ASSERTION_PUBLIC_KEY: keys.auditServicePublic,
  };
  const urls: Record<string, string> = {};
  const urlVar = (n: string) => `${n.toUpperCase().replace(/-/g, '_')}_SUBGRAPH_URL`;
  const startSubgraph = async (name: string, extra: Env) => {
    const child = launch(name, 'scripts/subgraph.ts', [name], { ...subgraphEnv, ...extra });
    const m = await readyLine(child, new RegExp(`^subgraph ${name}: (\\S+)$`));
    child.url = urls[name] = m[1];
  };

  // 2. Each agency's subgraph, told only where its own system is (its <SLUG>_ variables).
  const core = new Set(['identity', 'audit']);
  await Promise.all(SUBGRAPH_NAMES.filter((n) => !core.has(n)).map((name) => {
    const prefix = `${name.toUpperCase().replace(/-/g, '_')}_`;
    return startSubgraph(name, Object.fromEntries(Object.entries(standInEnv).filter(([k]) => k.startsWith(prefix))));
  }));
  const agencyUrls = Object.fromEntries(Object.entries(urls).map(([n, u]) => [urlVar(n), u]));
  // 3. Identity asks the agency subgraphs; the auditors' subgraph asks identity and reads the audit store.
  await startSubgraph('identity', { ...agencyUrls, IDENTITY_ASSERTION_KEY: keys.identityPrivate });
  await startSubgraph('audit', {
    IDENTITY_SUBGRAPH_URL: urls.identity, AUDIT_ASSERTION_KEY: keys.auditServicePrivate,
    AUDIT_DATABASE_URL: roleUrl(deployment, 'reader'), AUDIT_PUBLIC_KEYS: auditPublic, ...auditStore,
  });

  // 4. The gateways: every subgraph's URL, the audit store as the app role, rate limits shared in Redis.
  const gatewayEnv: Env = {
    ...base, GATEWAY_PORT: '0', ...Object.fromEntries(Object.entries(urls).map(([n, u]) => [urlVar(n), u])),
    GATEWAY_ASSERTION_KEY: keys.gatewayPrivate, AUDIT_SIGNING_KEY: keys.auditSigning, AUDIT_PUBLIC_KEYS: auditPublic,
    AUDIT_DATABASE_URL: roleUrl(deployment, 'app'), ...auditStore,
    GATEWAY_RATE_LIMIT_REDIS_URL: base.GATEWAY_RATE_LIMIT_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  const gateways = await Promise.all(Array.from({ length: GATEWAYS }, async (_, i) => {
    const child = launch(`gateway-${i + 1}`, 'scripts/gateway.ts', [], gatewayEnv);
    child.url = (await readyLine(child, /^gateway: (\S+)$/))[1];
    return child;
  }));

  // 5. The front that clients use.
  front = await startRoundRobin(gateways.map((g) => g.url!), { port: Number(process.env.DISTRIBUTED_PORT ?? 0) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const table = [
    ...children.map((c) => ({ name: c.name, pid: c.proc.pid!, url: c.url ?? '', rssMb: rssMb(c.proc.pid!) })),
    { name: 'launcher + front', pid: process.pid, url: front.url, rssMb: rssMb(process.pid) },
  ];
  process.stdout.write(`justice-graph, distributed: ${children.length} processes and the front, ready in ${seconds} s

${table.map((p) => `  ${p.name.padEnd(17)} pid ${String(p.pid).padEnd(8)} ${p.rssMb === null ? '' : `${String(p.rssMb).padStart(4)} MB  `}${p.url}`).join('\n')}
  audit store       PostgreSQL ${new URL(deployment.adminUrl).host}${new URL(deployment.adminUrl).pathname}, schema ${deployment.schema}

Send queries to ${front.url} (round robin over ${gateways.length} gateways), e.g.
  npm run example -- --url ${front.url}
Ctrl-C stops everything.
# topology ${JSON.stringify({ front: front.url, startupMs: Date.now() - started, processes: table })}
# distributed ready ${front.url}
`);
}

main().catch((err) => {
  say(`could not start: ${(err as Error).message}`);
  void shutdown(1);
});

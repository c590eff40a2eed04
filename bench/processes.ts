// The benchmark's two worlds, each in a child process of its own: the stand-in legacy systems
// (scripts/stand-ins.ts) and the product (bench/product.ts: gateway and subgraphs). Keeping them apart
// is what lets the benchmark measure the product's CPU and memory without the stand-ins'.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { controlClient, type ControlClient } from '../legacy/control.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Node running a TypeScript entry point through tsx, as the npm scripts do. */
function spawnTs(entry: string, env: NodeJS.ProcessEnv, stdio: ('pipe' | 'inherit' | 'ignore' | 'ipc')[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env, stdio });
}

/** Ends a child and waits for it to exit; SIGKILL after a grace period. */
function stop(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Reads `export NAME='value'` lines up to `# stand-ins ready`, as printed by npm run stand-ins. */
export function parseExports(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z][A-Z0-9_]*)='((?:[^']|'\\'')*)'$/.exec(line.trim());
    if (m) env[m[1]] = m[2].replaceAll(`'\\''`, "'");
  }
  return env;
}

export interface StandInsProcess {
  pid: number;
  /** The environment it printed: agency systems, credentials, STAND_INS_CONTROL_URL. */
  env: Record<string, string>;
  control: ControlClient;
  close(): Promise<void>;
}

export async function startStandInsProcess(opts: { size: number; seed: number; timeoutMs?: number; worklistPeople?: number }): Promise<StandInsProcess> {
  const child = spawnTs('scripts/stand-ins.ts', {
    ...process.env, POPULATION_SIZE: String(opts.size), POPULATION_SEED: String(opts.seed), STAND_INS_CONTROL_PORT: '0', STAND_INS_ENV_FILE: '',
    BENCH_WORKLIST_PEOPLE: String(opts.worklistPeople ?? 0),
  }, ['ignore', 'pipe', 'pipe', 'ipc']);
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`stand-ins did not start within ${opts.timeoutMs ?? 120_000} ms`)), opts.timeoutMs ?? 120_000);
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('# stand-ins ready')) { clearTimeout(timer); resolve(); }
      });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`stand-ins exited with ${code}: ${err.trim().slice(-500)}`)); });
    });
  } catch (e) {
    await stop(child);
    throw e;
  }
  child.stdout!.resume();
  const env = parseExports(out);
  return { pid: child.pid!, env, control: controlClient(env.STAND_INS_CONTROL_URL), close: () => stop(child) };
}

/** What the product process reports about itself. */
export interface ProductUsage {
  /** CPU time (user + system) used so far, in ms. */
  cpuMs: number;
  rssBytes: number;
  /** Highest RSS sampled since the last `usage` reset. */
  peakRssBytes: number;
  /** Reads counted by adapters of systems the stand-ins cannot see (file exports read in place). */
  reads: Record<string, number>;
}

export interface ProductProcess {
  pid: number;
  gatewayUrl: string;
  startupMs: number;
  token: string;
  /** A development token for another caller (a worklist's role and staff code), minted by the product. */
  tokenFor(caller: { agency: string; role: string; staffCode?: string }): Promise<string>;
  usage(resetPeak?: boolean): Promise<ProductUsage>;
  close(): Promise<void>;
}

/** Starts the product against the stand-ins' environment; `policyOff` is the benchmark-only baseline. */
export async function startProductProcess(standInsEnv: Record<string, string>, opts: { policyOff?: boolean; timeoutMs?: number } = {}): Promise<ProductProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...standInsEnv, LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' };
  delete env.BENCH_ONLY_POLICY_OFF;
  if (opts.policyOff) env.BENCH_ONLY_POLICY_OFF = '1';
  const child = spawnTs('bench/product.ts', env, ['ignore', 'inherit', 'inherit', 'ipc']);
  let seq = 0;
  const pending = new Map<number, (m: any) => void>();
  const ready = new Promise<{ gatewayUrl: string; startupMs: number; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('product did not start in time')), opts.timeoutMs ?? 120_000);
    child.on('message', (m: { type: string; id?: number } & Record<string, unknown>) => {
      if (m.type === 'ready') { clearTimeout(timer); resolve(m as never); }
      if (m.type === 'usage' || m.type === 'token') pending.get(m.id!)?.(m as never);
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`product exited with ${code}`)); });
  });
  let started: Awaited<typeof ready>;
  try {
    started = await ready;
  } catch (e) {
    await stop(child);
    throw e;
  }
  return {
    pid: child.pid!,
    ...started,
    tokenFor: (caller) => new Promise((resolve) => {
      const id = ++seq;
      pending.set(id, (m: { token: string }) => { pending.delete(id); resolve(m.token); });
      child.send({ type: 'token', id, ...caller });
    }),
    usage: (resetPeak = false) => new Promise((resolve) => {
      const id = ++seq;
      pending.set(id, (m) => { pending.delete(id); resolve(m); });
      child.send({ type: 'usage', id, resetPeak });
    }),
    close: () => stop(child),
  };
}

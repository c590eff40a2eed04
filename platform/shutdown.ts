// Graceful shutdown for the processes that serve clients (npm start, npm run gateway). On SIGTERM or
// SIGINT: stop accepting connections, let the requests already in flight finish (each writes its audit
// record before its answer leaves), cut whatever is still running when the drain deadline passes, then
// close the rest (subgraphs, stand-ins, the audit trail with its final signed checkpoint) and exit.
// A second signal while draining exits at once. Without this, Ctrl-C cut every answer in flight.
import type { Server } from 'node:http';

export interface DrainResult {
  /** Requests that were still running at the deadline and were cut. */
  cut: number;
  /** Milliseconds the drain took. */
  tookMs: number;
}

/** Tracks requests in flight on `server` so a drain knows when they are done; attach before serving. */
export function trackInFlight(server: Server): { readonly count: number; draining: boolean; onIdle(cb: () => void): void } {
  let count = 0;
  const idle: (() => void)[] = [];
  const state = {
    get count() { return count; },
    draining: false,
    onIdle(cb: () => void) { if (count === 0) cb(); else idle.push(cb); },
  };
  server.on('request', (_req, res) => {
    count++;
    // While draining, a keep-alive client is told to reconnect (elsewhere) after this answer.
    if (state.draining && !res.headersSent) res.setHeader('connection', 'close');
    res.once('close', () => {
      count--;
      if (state.draining) server.closeIdleConnections();
      if (count === 0) for (const cb of idle.splice(0)) cb();
    });
  });
  return state;
}

const TRACKERS = new WeakMap<Server, ReturnType<typeof trackInFlight>>();

/** The server's in-flight tracker, attached on first use (servers built by platform/http.ts attach it when they start). */
export function inFlight(server: Server): ReturnType<typeof trackInFlight> {
  let t = TRACKERS.get(server);
  if (!t) TRACKERS.set(server, (t = trackInFlight(server)));
  return t;
}

/**
 * Stops `server` accepting, waits for its requests in flight for at most `deadlineMs`, then closes every
 * connection that is left. Resolves once the server is fully closed.
 */
export async function drain(server: Server, deadlineMs: number): Promise<DrainResult> {
  const started = Date.now();
  const tracker = inFlight(server);
  tracker.draining = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let cut = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => { cut = tracker.count; resolve(); }, deadlineMs);
    tracker.onIdle(() => { clearTimeout(timer); resolve(); });
  });
  server.closeAllConnections();
  await closed;
  return { cut, tookMs: Date.now() - started };
}

export interface ShutdownOptions {
  /** How long requests in flight may take to finish (SHUTDOWN_DRAIN_MS). */
  drainMs: number;
  /** The servers clients talk to: drained first, in parallel. */
  servers: { server: Server }[];
  /** Told before draining starts (the gateway's /ready turns 503 so balancers stop sending). */
  beforeDrain?: () => void;
  /** Everything else, after the drain: stop subgraphs, stand-ins, flush and close the audit trail. */
  closeRest: () => Promise<void>;
  log?: (message: string) => void;
  signals?: NodeJS.Signals[];
  /** For tests; process.exit otherwise. */
  exit?: (code: number) => void;
}

/** Installs the signal handlers. Exit code 0 when every request finished, 1 when some had to be cut or closing failed. */
export function onShutdown(opts: ShutdownOptions): void {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  for (const s of opts.servers) inFlight(s.server);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting without waiting`);
      exit(130);
      return;
    }
    stopping = true;
    const waiting = opts.servers.reduce((n, s) => n + inFlight(s.server).count, 0);
    log(`${signal}: stopping; ${waiting} request(s) in flight, waiting up to ${opts.drainMs} ms`);
    opts.beforeDrain?.();
    let code = 0;
    try {
      const results = await Promise.all(opts.servers.map((s) => drain(s.server, opts.drainMs)));
      const cut = results.reduce((n, r) => n + r.cut, 0);
      if (cut > 0) { code = 1; log(`drain deadline passed: ${cut} request(s) cut`); }
      await opts.closeRest();
      log('stopped');
    } catch (err) {
      code = 1;
      log(`shutdown failed: ${(err as Error).message}`);
    }
    exit(code);
  };
  for (const signal of opts.signals ?? (['SIGINT', 'SIGTERM'] as NodeJS.Signals[])) process.on(signal, () => void stop(signal));
}

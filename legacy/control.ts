// The stand-ins' control API: a small loopback HTTP service beside the stand-in systems (npm run
// stand-ins) through which another process (the benchmark, a test) reads and resets each stand-in's
// request log and sets its faults. It carries no agency data: operation names, counts, arrival times
// and fault settings only.
//
//   GET  /requests[?since=<ms>]   { <agency>: { total, counts: { <operation>: n }, log: [{ at, operation }] } }
//   POST /requests/reset          empties every stand-in's counts and log
//   GET  /faults                  { <agency>: { latencyMs, errorRate, malformedRate, down, malformedRecords } }
//   PUT  /faults/<agency|*>       sets the given fault fields (JSON body) on one stand-in or on all
//   POST /faults/reset            no faults anywhere
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Faults, RequestLogEntry, StandIn } from './faults.js';
import { listen } from './http.js';

export interface StandInRequests {
  total: number;
  counts: Record<string, number>;
  log: RequestLogEntry[];
}

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

const FAULT_FIELDS: Record<keyof Faults, (v: unknown) => boolean> = {
  latencyMs: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 600_000,
  errorRate: (v) => typeof v === 'number' && v >= 0 && v <= 1,
  malformedRate: (v) => typeof v === 'number' && v >= 0 && v <= 1,
  down: (v) => typeof v === 'boolean',
  malformedRecords: (v) => Array.isArray(v) && v.length <= 100 && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 40),
};

/** Checks a fault body field by field: a typo must not silently leave a fault off. */
export function parseFaults(body: unknown): Partial<Faults> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('expected a JSON object of fault fields');
  for (const [k, v] of Object.entries(body)) {
    const check = FAULT_FIELDS[k as keyof Faults];
    if (!check) throw new Error(`unknown fault field "${k}"; expected one of ${Object.keys(FAULT_FIELDS).join(', ')}`);
    if (!check(v)) throw new Error(`fault field "${k}" has an invalid value: expected ${k === 'down' ? 'true or false' : k === 'latencyMs' ? 'milliseconds, 0 to 600000' : k === 'malformedRecords' ? 'a list of up to 100 record ids' : 'a share from 0 to 1'}`);
  }
  return body as Partial<Faults>;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 10_000) { reject(new Error('body too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch {
        reject(new Error('body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

const send = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));

export async function startControlServer(standIns: Map<string, StandIn>, options: { host?: string; port?: number } = {}): Promise<ControlServer> {
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://control.invalid');
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /requests') {
      const sinceRaw = url.searchParams.get('since');
      const since = sinceRaw === null ? undefined : Number(sinceRaw);
      if (since !== undefined && !Number.isFinite(since)) return send(res, 400, { error: 'since must be milliseconds since the epoch' });
      const body: Record<string, StandInRequests> = {};
      for (const [name, s] of standIns) body[name] = { total: s.requests.get(), counts: s.requests.snapshot(), log: s.requests.entries(since) };
      return send(res, 200, body);
    }
    if (route === 'POST /requests/reset') {
      for (const s of standIns.values()) s.requests.reset();
      return send(res, 200, { reset: [...standIns.keys()] });
    }
    if (route === 'GET /faults') return send(res, 200, Object.fromEntries([...standIns].map(([n, s]) => [n, s.faults.current])));
    if (route === 'POST /faults/reset') {
      for (const s of standIns.values()) s.faults.reset();
      return send(res, 200, { reset: [...standIns.keys()] });
    }
    const target = /^PUT \/faults\/([a-z*][a-z0-9-]*)$/.exec(route)?.[1];
    if (target) {
      const chosen = target === '*' ? [...standIns.values()] : standIns.has(target) ? [standIns.get(target)!] : [];
      if (chosen.length === 0) return send(res, 404, { error: `no stand-in "${target}"; running: ${[...standIns.keys()].join(', ')}` });
      let faults: Partial<Faults>;
      try {
        faults = parseFaults(await readJson(req));
      } catch (err) {
        return send(res, 400, { error: (err as Error).message });
      }
      for (const s of chosen) s.faults.set(faults);
      return send(res, 200, Object.fromEntries(chosen.map((s) => [s.agency, s.faults.current])));
    }
    return send(res, 404, { error: 'not found: GET /requests, POST /requests/reset, GET /faults, PUT /faults/<agency|*>, POST /faults/reset' });
  };
  const server = createServer((req, res) => {
    answer(req, res).catch(() => send(res, 500, { error: 'control request failed' }));
  });
  // Loopback only: faults switch an agency's system off, which nobody off this machine may do.
  const { base, close } = await listen(server, { host: options.host ?? '127.0.0.1', port: options.port });
  return { url: base, close };
}

/** The client side, for the benchmark and tests in another process. */
export function controlClient(url: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(new URL(path, url), { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`stand-ins control ${method} ${path}: ${res.status} ${json.error ?? ''}`);
    return json;
  };
  return {
    requests: (since?: number) => call<Record<string, StandInRequests>>('GET', since === undefined ? '/requests' : `/requests?since=${since}`),
    resetRequests: () => call('POST', '/requests/reset'),
    faults: () => call<Record<string, Faults>>('GET', '/faults'),
    setFaults: (agency: string, faults: Partial<Faults>) => call('PUT', `/faults/${agency}`, faults),
    resetFaults: () => call('POST', '/faults/reset'),
  };
}
export type ControlClient = ReturnType<typeof controlClient>;

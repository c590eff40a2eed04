// npm run new-agency -- <slug> [--root <dir>] [--dry-run]
//
// Writes a new agency that compiles, composes and passes its own tests as generated:
//   adapters/<slug>/      client (batched lookups through the agency's resilience policy), config, mapping, wire
//   subgraphs/<slug>/     index.ts (the module), schema.graphql, resolvers (entity + lookups), loaders (one call per wave)
//   legacy/<slug>/        a stand-in HTTP server with the same faults and request counts as the others
//   schema/policy/fields/<slug>.ts   every field DENY until the agency and its partners decide
//   test/adapters/<slug>/ mapping, client (against the stand-in) and subgraph (policy denies everything) tests
// and adds the slug to the registry (subgraphs/index.ts), the one line an agency adds to join. Nothing
// else in the project changes: the policy tables, the gateway and `npm start` find the agency there.
//
// The stand-in's shapes are placeholders: replace wire.ts and the stand-in with the agency's real
// contract (reference/ has the pattern), then decide the policy with the agency and its partners.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Names {
  slug: string;
  /** TribunalService, for types. */
  pascal: string;
  /** tribunalService, for fields and variables. */
  camel: string;
  /** TRIBUNAL_SERVICE, for environment variables and the policy owner. */
  upper: string;
}

const RESERVED = new Set(['identity', 'audit', 'gateway', 'internal', 'common', 'policy', 'platform', 'legacy', 'schema', 'test']);

export function namesOf(slug: string): Names {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(slug) || slug.length > 40) throw new Error(`an agency slug is lower-case letters and digits, words joined by "-" (for example: tribunals), got "${slug}"`);
  if (RESERVED.has(slug)) throw new Error(`"${slug}" is taken by the platform; choose the agency's own name`);
  const words = slug.split('-');
  const pascal = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return { slug, pascal, camel: pascal[0].toLowerCase() + pascal.slice(1), upper: words.join('_').toUpperCase() };
}

/** The files of a new agency, by path relative to the project root. */
export function agencyFiles(n: Names): Record<string, string> {
  const { slug, pascal, camel, upper } = n;
  const rec = `${pascal}Record`;
  return {
    [`adapters/${slug}/wire.ts`]: `// What the ${slug} system sends, exactly as it sends it: the only place its field names appear.
// PLACEHOLDER shapes from the scaffold: replace them with the agency's real contract (copy it under
// reference/ with attribution) before the adapter is trusted with anything.

/** Operation names for errors, logs and request counts. */
export const OPERATIONS = { records: 'GET /records', health: 'GET /health' } as const;

/** The largest number of references the system takes in one lookup. */
export const MAX_REFS_PER_CALL = 100;

/** One record as the system sends it. */
export interface WireRecord {
  REF_NO: string;
  /** OPEN, CLOSED or PENDING. */
  STATUS: string;
  /** DD/MM/YYYY. */
  LAST_UPD: string;
}

/** \`GET /records?refs=A,B\`: the records found, in no particular order; a reference it does not hold is absent. */
export interface WireRecords {
  records: WireRecord[];
}
`,
    [`adapters/${slug}/config.ts`]: `// Configuration of the ${slug} adapter, from the environment. Every variable it reads is listed in
// SETTINGS_TABLE below: the README's table of environment variables is built from it through the
// registry (\`npm run env:table -- --write\`), and a test fails when the code reads one the table lacks.
import type { SettingRow } from '../../platform/config.js';
import type { Env } from '../../subgraphs/types.js';
import { resilienceSettings, type ResilienceSettings } from '../resilience.js';
import { positiveInt } from '../settings.js';

export interface ${pascal}Config {
  /** Base URL of the system's API without a trailing slash; null when not configured (outside production). */
  baseUrl: string | null;
  /** Deadline of each call. */
  timeoutMs: number;
  /** Breaker, bulkhead, timeout and retries of this agency's system (adapters/resilience.ts). */
  resilience?: ResilienceSettings;
}

/** Reads ${upper}_URL and ${upper}_TIMEOUT_MS; fails fast in production when the URL is not set. */
export function loadConfig(env: Env): ${pascal}Config {
  const baseUrl = env.${upper}_URL?.trim().replace(/\\/+$/, '') || null;
  if (!baseUrl && env.NODE_ENV === 'production') throw new Error('${upper}_URL must be set in production');
  return { baseUrl, timeoutMs: positiveInt(env, '${upper}_TIMEOUT_MS', 3000), resilience: resilienceSettings(env, '${slug}') };
}

/** This adapter's settings, for the README's table of environment variables. */
export const SETTINGS_TABLE: SettingRow[] = [
  { name: '${upper}_URL', shown: '(the stand-in, in the embedded stack); **required in production**', usedBy: '${slug} adapter', meaning: "base URL of the ${slug} system's API" },
];
`,
    [`adapters/${slug}/mapping.ts`]: `// Pure mapping from the ${slug} system's wire records to the model: no I/O, one record at a time, a
// MappingError (BAD_SOURCE_DATA for that record only) for anything it cannot read faithfully.
import { MappingError } from '../errors.js';
import type { WireRecord } from './wire.js';

export const STATUSES = ['OPEN', 'CLOSED', 'PENDING'] as const;
export type ${pascal}Status = (typeof STATUSES)[number];

export interface ${rec} {
  ref: string;
  status: ${pascal}Status;
  /** ISO date. */
  updatedOn: string;
}

/** DD/MM/YYYY to an ISO date, refusing one that does not exist. */
export function isoDate(field: string, value: string): string {
  const m = /^(\\d{2})\\/(\\d{2})\\/(\\d{4})$/.exec(value.trim());
  if (!m) throw new MappingError(field, 'a date as DD/MM/YYYY');
  const iso = \`\${m[3]}-\${m[2]}-\${m[1]}\`;
  const d = new Date(\`\${iso}T00:00:00Z\`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) throw new MappingError(field, 'a date that exists');
  return iso;
}

export function map${rec}(w: WireRecord): ${rec} {
  const ref = (w.REF_NO ?? '').trim();
  if (!ref) throw new MappingError('REF_NO', 'a reference');
  const status = (w.STATUS ?? '').trim().toUpperCase();
  if (!(STATUSES as readonly string[]).includes(status)) throw new MappingError('STATUS', \`one of \${STATUSES.join(', ')}\`);
  return { ref, status: status as ${pascal}Status, updatedOn: isoDate('LAST_UPD', w.LAST_UPD ?? '') };
}
`,
    [`adapters/${slug}/client.ts`]: `// The only code that talks to the ${slug} system. Lookups by reference are batched (one call per
// wave, split only at the system's own limit), go through the agency's resilience policy, and come back
// as a record, a BAD_SOURCE_DATA error for that record, or nothing for a reference the system does not hold.
import { AdapterError, mapRecord } from '../errors.js';
import { httpRequest, parseJson, statusError } from '../http.js';
import { policyFor, type LegacyPolicyOptions } from '../resilience.js';
import type { Env } from '../../subgraphs/types.js';
import { loadConfig } from './config.js';
import { map${rec}, type ${rec} } from './mapping.js';
import { MAX_REFS_PER_CALL, OPERATIONS, type WireRecords } from './wire.js';

const AGENCY = '${slug}';

export type ${rec}Result = ${rec} | AdapterError;

export interface ${pascal}Client {
  /** The records of the given references: absent from the map when the system holds none. */
  records(refs: readonly string[]): Promise<Map<string, ${rec}Result>>;
  health(): Promise<void>;
  close(): Promise<void>;
}

export function create${pascal}Client(env: Env, opts: LegacyPolicyOptions = {}): ${pascal}Client {
  const config = loadConfig(env);
  const policy = policyFor(AGENCY, config, opts);

  async function get<T>(operation: string, path: string): Promise<T> {
    if (!config.baseUrl) throw new AdapterError({ agency: AGENCY, operation, code: 'SOURCE_UNAVAILABLE', detail: '${upper}_URL not set' });
    const url = config.baseUrl + path;
    const res = await policy.run({ operation, kind: 'read' }, (signal) => httpRequest({ agency: AGENCY, operation, url, signal }));
    if (res.status >= 400) throw statusError(AGENCY, operation, res.status);
    return parseJson<T>(AGENCY, operation, res.text);
  }

  return {
    async records(refs) {
      const unique = [...new Set(refs.map((r) => r.trim()).filter(Boolean))];
      const out = new Map<string, ${rec}Result>();
      for (let i = 0; i < unique.length; i += MAX_REFS_PER_CALL) {
        const chunk = unique.slice(i, i + MAX_REFS_PER_CALL);
        const body = await get<WireRecords>(OPERATIONS.records, \`/records?refs=\${chunk.map(encodeURIComponent).join(',')}\`);
        if (!body || !Array.isArray(body.records)) throw new AdapterError({ agency: AGENCY, operation: OPERATIONS.records, code: 'BAD_SOURCE_DATA', detail: 'expected { records: [...] }' });
        for (const w of body.records) {
          const ref = String(w?.REF_NO ?? '').trim();
          if (chunk.includes(ref)) out.set(ref, mapRecord(AGENCY, OPERATIONS.records, ref, w, map${rec}));
        }
      }
      return out;
    },
    async health() {
      await get<unknown>(OPERATIONS.health, '/health');
    },
    async close() {},
  };
}
`,
    [`subgraphs/${slug}/schema.graphql`]: `# The ${slug} subgraph. schema/common.graphql is prepended by the harness. Every field starts DENY in
# schema/policy/fields/${slug}.ts until it is decided.

"""A record of the ${slug} system, by its reference."""
type ${rec} @key(fields: "ref") {
  ref: ID!
  status: ${pascal}Status
  "When the system last changed the record."
  updatedOn: Date
  "Where the record came from: this system, its reference and when the batch was read."
  provenance: Provenance
}

enum ${pascal}Status {
  OPEN
  CLOSED
  PENDING
}

type Query {
  "One record by reference; null when the system holds none."
  ${camel}Record(ref: ID!): ${rec}
}
`,
    [`subgraphs/${slug}/loaders.ts`]: `// Per-request loaders: fresh for every request, so a cached record never outlives the request that read it.
// Lookups in one tick (a whole plan wave) become one batched call to the system.
import DataLoader from 'dataloader';
import type { ${pascal}Client, ${rec}Result } from '../../adapters/${slug}/client.js';
import { provenanceOf, readAt, stamp, stampBatch, type Source } from '../provenance.js';

/** Where this subgraph's records come from (name the system as the agency does). */
export const SOURCE: Source = { agency: '${upper}', system: '${pascal} system' };

export interface ${pascal}Loaders {
  /** A record by reference: null when absent; an unreadable record rejects with BAD_SOURCE_DATA. */
  record: DataLoader<string, ${rec}Result | null>;
}

export function createLoaders(client: ${pascal}Client, _requestId: string): ${pascal}Loaders {
  return {
    record: new DataLoader(async (refs) => {
      const found = await client.records(refs);
      // Stamped once per batch, when the system answered; an unreadable record keeps its error.
      const at = readAt();
      const stamped = stampBatch(found, (r) => (r instanceof Error ? r : stamp(r, provenanceOf(SOURCE, r.ref, at))));
      return refs.map((r) => stamped.get(r.trim()) ?? null);
    }),
  };
}
`,
    [`subgraphs/${slug}/resolvers.ts`]: `// Resolvers of the ${slug} subgraph: everything reads through the per-request loaders; adapter errors
// are thrown so GraphQL reports them with their code and agency.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from '../types.js';
import type { ${pascal}Loaders } from './loaders.js';

type Ctx = SubgraphContext<${pascal}Loaders>;

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    ${camel}Record: (_: unknown, args: { ref: string }, ctx: Ctx) => ctx.loaders.record.load(args.ref),
  },
  ${rec}: {
    __resolveReference: (ref: { ref: string }, ctx: Ctx) => ctx.loaders.record.load(ref.ref),
  },
};
`,
    [`subgraphs/${slug}/index.ts`]: `// The ${slug} subgraph (generated by \`npm run new-agency\`). Declare what it can do here: the
// identifier types it holds, whether it holds people (identity), record conditions (policyFacts) and
// relationship facts; everything else is derived from this module and the registry.
import { readFileSync } from 'node:fs';
import { create${pascal}Client, type ${pascal}Client } from '../../adapters/${slug}/client.js';
import type { SubgraphModule } from '../types.js';
import { createLoaders, type ${pascal}Loaders } from './loaders.js';
import { resolvers } from './resolvers.js';

const ${camel}: SubgraphModule<${pascal}Client, ${pascal}Loaders> = {
  name: '${slug}',
  agency: '${upper}',
  description: '${pascal}: records by reference (generated scaffold: replace with what the agency holds)',
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
  resolvers,
  createClient: (env) => create${pascal}Client(env),
  createLoaders,
  health: (client) => client.health(),
  close: (client) => client.close(),
  standIn: async () => (await import('../../legacy/${slug}/server.ts')).startStandIn,
};

export default ${camel};
`,
    [`legacy/${slug}/server.ts`]: `// Stand-in for the ${slug} system (generated by \`npm run new-agency\`): an HTTP JSON API answering
//   GET /records?refs=A,B   { records: [{ REF_NO, STATUS, LAST_UPD }] }, references it does not hold left out
//   GET /health             { status: 'UP' }
// with the faults every stand-in has (down, error, malformed, latency) and a count of every request.
// PLACEHOLDER data: build the records from the shared population and the agency's real reference data.
import http from 'node:http';
import { FaultControl, RequestCounter, type StandIn, type StandInOptions, type StartStandIn } from '../faults.js';
import { listen } from '../http.js';

export const OPERATIONS = { records: 'GET /records', health: 'GET /health' } as const;

/** The records the stand-in holds: ${upper}-000001 to ${upper}-000050. */
export const RECORD_COUNT = 50;
export const refOf = (i: number) => \`${upper}-\${String(i).padStart(6, '0')}\`;
const STATUSES = ['OPEN', 'CLOSED', 'PENDING'];

function recordOf(i: number) {
  const day = String((i % 28) + 1).padStart(2, '0');
  return { REF_NO: refOf(i), STATUS: STATUSES[i % STATUSES.length], LAST_UPD: \`\${day}/0\${(i % 9) + 1}/2026\` };
}

export const startStandIn = (async (options: StandInOptions): Promise<StandIn> => {
  const faults = new FaultControl(options.faultSeed);
  const requests = new RequestCounter();
  const held = new Map(Array.from({ length: RECORD_COUNT }, (_, i) => [refOf(i + 1), recordOf(i + 1)]));
  const send = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
      const operation = url.pathname === '/records' ? OPERATIONS.records : url.pathname === '/health' ? OPERATIONS.health : null;
      if (!operation || req.method !== 'GET') return send(res, 404, { error: 'not found' });
      const outcome = await faults.apply();
      requests.count(operation);
      if (outcome === 'down') return void res.destroy();
      if (outcome === 'error') return send(res, 500, { error: 'internal error' });
      if (operation === OPERATIONS.health) return send(res, 200, { status: 'UP' });
      const refs = (url.searchParams.get('refs') ?? '').split(',').map((r) => r.trim()).filter(Boolean);
      const records = refs.flatMap((r) => (held.has(r) ? [{ ...held.get(r)! }] : []));
      for (const r of records) if (outcome === 'malformed' || faults.isMalformed(r.REF_NO)) r.LAST_UPD = '31/02/2026';
      send(res, 200, { records });
    })().catch(() => { if (!res.headersSent) send(res, 500, { error: 'internal error' }); });
  });
  const served = await listen(server, options);
  return {
    agency: '${slug}',
    location: served.base,
    env: { ${upper}_URL: served.base },
    faults,
    requests,
    close: served.close,
  };
}) satisfies StartStandIn;
`,
    [`schema/policy/fields/${slug}.ts`]: `// Disclosure policy of the ${slug} subgraph (see schema/policy/index.ts for the grammar). Generated by
// \`npm run new-agency\`: every field DENY, to no one, until the agency and its partners decide who may
// see it, for which purpose and under which agreement. A field the schema adds needs a line here: the
// harness refuses to start without one.
import type { FieldTable } from '../index.js';

/** The agency whose own staff (\`own\` grants) see this subgraph's data. */
export const owner = '${upper}';

export const table: FieldTable = {
  'Query.${camel}Record': 'DENY',
  '${rec}.ref': 'DENY',
  '${rec}.status': 'DENY',
  '${rec}.updatedOn': 'DENY',
  '${rec}.provenance': 'DENY',
};
`,
    [`test/adapters/${slug}/mapping.test.ts`]: `// The ${slug} mapping: a faithful record maps, anything it cannot read is a MappingError naming the field.
import { describe, expect, it } from 'vitest';
import { MappingError } from '../../../adapters/errors.js';
import { map${rec} } from '../../../adapters/${slug}/mapping.js';

const wire = { REF_NO: ' ${upper}-000001 ', STATUS: 'open', LAST_UPD: '02/03/2026' };

describe('${slug} mapping', () => {
  it('maps a record: reference trimmed, status in capitals, date as ISO', () => {
    expect(map${rec}(wire)).toEqual({ ref: '${upper}-000001', status: 'OPEN', updatedOn: '2026-03-02' });
  });

  it('refuses a date that does not exist, a status it does not know and a missing reference', () => {
    expect(() => map${rec}({ ...wire, LAST_UPD: '31/02/2026' })).toThrow(MappingError);
    expect(() => map${rec}({ ...wire, STATUS: 'LOST' })).toThrow(/STATUS/);
    expect(() => map${rec}({ ...wire, REF_NO: '' })).toThrow(/REF_NO/);
  });
});
`,
    [`test/adapters/${slug}/client.test.ts`]: `// The ${slug} adapter against its stand-in: one call per batch, absent references absent, an unreadable
// record is that record's error, and an outage is a typed error with nothing of the system in it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { create${pascal}Client } from '../../../adapters/${slug}/client.js';
import { OPERATIONS, refOf, startStandIn } from '../../../legacy/${slug}/server.js';
import type { StandIn } from '../../../legacy/faults.js';

let standIn: StandIn;
beforeAll(async () => {
  // This stand-in draws nothing from the shared population yet.
  standIn = await startStandIn({ population: undefined as never });
});
afterAll(() => standIn.close());
beforeEach(() => { standIn.faults.reset(); standIn.requests.reset(); });

const client = () => create${pascal}Client({ ...standIn.env, ${upper}_BREAKER_FAILURES: '1000' });

describe('${slug} adapter', () => {
  it('reads many records in one call, leaving out references the system does not hold', async () => {
    const found = await client().records([refOf(1), refOf(2), 'NO-SUCH-REF']);
    expect([...found.keys()].sort()).toEqual([refOf(1), refOf(2)]);
    expect(found.get(refOf(1))).toMatchObject({ ref: refOf(1) });
    expect(standIn.requests.get(OPERATIONS.records)).toBe(1);
  });

  it('reports an unreadable record as BAD_SOURCE_DATA for that record only', async () => {
    standIn.faults.set({ malformedRecords: [refOf(3)] });
    const found = await client().records([refOf(3), refOf(4)]);
    expect(found.get(refOf(3))).toBeInstanceOf(AdapterError);
    expect((found.get(refOf(3)) as AdapterError).extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', recordId: refOf(3) });
    expect(found.get(refOf(4))).not.toBeInstanceOf(AdapterError);
  });

  it('turns an outage into SOURCE_UNAVAILABLE naming the agency, never the host', async () => {
    standIn.faults.set({ down: true });
    const err = await client().records([refOf(1)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', agency: '${slug}' });
    expect((err as AdapterError).message).not.toContain(new URL(standIn.location).host);
  });
});
`,
    [`test/adapters/${slug}/subgraph.test.ts`]: `// The ${slug} subgraph in-process: it builds under its policy (every field has an entry), and until the
// policy is decided every field is withheld from everyone, its own agency too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create${pascal}Client } from '../../../adapters/${slug}/client.js';
import { refOf, startStandIn } from '../../../legacy/${slug}/server.js';
import type { StandIn } from '../../../legacy/faults.js';
import { buildProtectedSchema } from '../../../subgraphs/harness.js';
import ${camel} from '../../../subgraphs/${slug}/index.js';
import { caller, executeAs } from '../../helpers/subgraph.js';

let standIn: StandIn;
beforeAll(async () => { standIn = await startStandIn({ population: undefined as never }); });
afterAll(() => standIn.close());

describe('${slug} subgraph', () => {
  it('has a policy entry for every field', () => {
    expect(() => buildProtectedSchema(${camel})).not.toThrow();
  });

  it('withholds every field until the policy is decided', async () => {
    const client = create${pascal}Client(standIn.env);
    const res = await executeAs(${camel}, client, caller('${upper}', ['POLICE_OFFICER'], 'INVESTIGATION'), \`{ ${camel}Record(ref: "\${refOf(1)}") { ref status } }\`);
    expect(res.data?.${camel}Record ?? null).toBeNull();
    expect(res.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
  });
});
`,
  };
}

/** The registry with the slug added (before `audit`, which stays last); unchanged when it is already there. */
export function withRegistryLine(registry: string, slug: string): string {
  const list = /export const SUBGRAPH_NAMES = \[\n([\s\S]*?)\] as const;/.exec(registry);
  if (!list) throw new Error('subgraphs/index.ts: could not find the SUBGRAPH_NAMES list');
  if (new RegExp(`^\\s*'${slug}',`, 'm').test(list[1])) return registry;
  const lines = list[1].split('\n').filter((l) => l.trim());
  const at = lines.findIndex((l) => l.trim() === "'audit',");
  lines.splice(at < 0 ? lines.length : at, 0, `  '${slug}',`);
  return registry.replace(list[0], `export const SUBGRAPH_NAMES = [\n${lines.join('\n')}\n] as const;`);
}

/** Writes the agency into `root`; refuses to overwrite anything that exists. Returns the paths written. */
export function writeAgency(root: string, slug: string): string[] {
  const n = namesOf(slug);
  const files = agencyFiles(n);
  const clash = Object.keys(files).filter((p) => existsSync(join(root, p)));
  for (const dir of [`adapters/${slug}`, `subgraphs/${slug}`, `legacy/${slug}`]) if (existsSync(join(root, dir))) clash.push(dir);
  if (clash.length) throw new Error(`agency "${slug}" exists already (${[...new Set(clash)].join(', ')}); nothing written`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const registryPath = join(root, 'subgraphs/index.ts');
  writeFileSync(registryPath, withRegistryLine(readFileSync(registryPath, 'utf8'), slug));
  return [...Object.keys(files), 'subgraphs/index.ts'];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf('--root');
  const root = rootAt >= 0 ? resolve(args[rootAt + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const slug = args.filter((a, i) => !a.startsWith('--') && (rootAt < 0 || i !== rootAt + 1))[0];
  if (!slug) {
    console.error('usage: npm run new-agency -- <slug>   (e.g. npm run new-agency -- tribunals)');
    process.exit(2);
  }
  try {
    if (args.includes('--dry-run')) {
      for (const p of Object.keys(agencyFiles(namesOf(slug)))) console.log(`would write ${p}`);
    } else {
      for (const p of writeAgency(root, slug)) console.log(`wrote ${p}`);
      console.log(`\nNext: npm run compose, npm run policy:matrix and npm run env:table -- --write (all now include ${slug}), npx vitest run test/adapters/${slug},\n`
        + `npm run conformance -- ${slug}; then replace the placeholder wire shapes and stand-in with the agency's real contract,\n`
        + `and decide schema/policy/fields/${slug}.ts with the agency and its partners.`);
    }
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}

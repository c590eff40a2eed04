// The conformance kit an agency runs before joining (`npm run conformance -- <slug>`; the vitest suite
// test/conformance/ runs it for every registered subgraph). Each check says what it proved or names
// what is wrong:
//   composition      the registry composes with the agency in it
//   policy coverage  every field has a policy entry (named one by one, table file or not)
//   builder          the agency's subgraph, served by the project's builder over HTTP, answers `_service`
//                    with a body exactly as a conformant subgraph's (the disclosure report in a header),
//                    and returns an `ftv1` trace when, and only when, the gateway asks for one
//   handshake        it refuses a request without a caller assertion, with one signed by another key,
//                    for another subgraph, or bound to another document
//   error hygiene    with its system down, errors carry a code and the agency, never a stack, a host,
//                    SQL or a path
//   contract tests   test/contracts/<slug>.test.ts, when present (the CLI runs it)
// The federation behaviour of the builder itself (every @key form, @requires, @provides, @override,
// @inaccessible, @tag, @interfaceObject, @shareable, @composeDirective, `_entities` order, ftv1 through a
// real gateway) is proved once for all agencies by test/conformance/federation.test.ts.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importJWK, type CryptoKey } from 'jose';
import { ASSERTION_HEADER, signAssertion, type CallerClaims } from '../auth/assertion.js';
import { newKeyPair } from '../auth/keys.js';
import { CompositionError, composeSupergraph, placeholderUrl } from '../gateway/compose.js';
import { subgraphUrlVariable } from '../platform/config.js';
import { PolicyError } from '../schema/policy/index.js';
import { decodeDisclosures, DISCLOSURES_EXTENSION, DISCLOSURES_HEADER } from './disclosures.js';
import { buildProtectedSchema, startSubgraph, type RunningSubgraph } from './harness.js';
import { loadSubgraphs, SUBGRAPH_NAMES } from './index.js';
import { createLogger } from '../platform/log.js';
import { NO_RELATIONSHIPS, type SubgraphModule } from './types.js';

export interface CheckResult {
  check: string;
  ok: boolean;
  /** What was proved, or every problem found. */
  details: string[];
  skipped?: boolean;
}

export interface ConformanceOptions {
  /** Environment for the agency's client when it has no stand-in (default process.env). */
  env?: Record<string, string | undefined>;
  /** Run test/contracts/<slug>.test.ts when present (spawns vitest; the CLI does, the suite does not). */
  contracts?: boolean;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What an error may never carry to a client: stack frames, hosts and ports, SQL, file paths, connection codes. */
export const LEAKS: [string, RegExp][] = [
  ['a stack trace', /stacktrace|\n\s+at |\bat [\w$.<>]+ \(/i],
  ['a host or port', /\b(127\.0\.0\.1|localhost|0\.0\.0\.0)\b|:\d{2,5}\/|\b[a-z0-9-]+\.(invalid|internal|local)\b/i],
  ['SQL', /\b(select|insert|update|delete)\b[\s\S]{0,80}\b(from|into|set|where)\b/i],
  ['a file path', /(^|[\s"'(])\/(home|work|tmp|usr|var|srv|opt)\/|[A-Z]:\\|\.ts:\d+/],
  ['a connection error code', /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EPIPE|UND_ERR_\w+)\b/],
];

/** The leaks found in a client-visible answer (its JSON), each named. */
export function leaksIn(answer: unknown, extra: string[] = []): string[] {
  const text = JSON.stringify(answer);
  const found = LEAKS.filter(([, re]) => re.test(text)).map(([what]) => what);
  for (const s of extra) if (s && text.includes(s)) found.push(`"${s}"`);
  return found;
}

const CALLER: Omit<CallerClaims, 'requestId'> = {
  subject: 'conformance', agency: 'AUDIT', roles: ['AUDITOR'], purpose: 'AUDIT', justification: null, staffCode: null, relationships: NO_RELATIONSHIPS,
};

interface Served {
  running: RunningSubgraph;
  key: { privateKey: CryptoKey; kid: string };
  /** Where the stand-in listens (to look for in errors), or null. */
  location: string | null;
  standInDown(): void;
  close(): Promise<void>;
}

async function serve(module: SubgraphModule, env: Record<string, string | undefined>): Promise<Served> {
  const pair = await newKeyPair('conformance');
  const privateKey = (await importJWK(pair.privateJwk, 'ES256')) as CryptoKey;
  const publicKey = (await importJWK(pair.publicJwk, 'ES256')) as CryptoKey;
  let standIn: Awaited<ReturnType<Awaited<ReturnType<NonNullable<SubgraphModule['standIn']>>>>> | null = null;
  if (module.standIn) {
    const { generatePopulation } = await import('../legacy/population.js');
    standIn = await (await module.standIn())({ population: generatePopulation({ size: 200 }) });
  }
  // A core subgraph asks the others through their URLs: here, addresses that never answer.
  const others = Object.fromEntries(SUBGRAPH_NAMES.filter((n) => n !== module.name).map((n) => [subgraphUrlVariable(n), placeholderUrl(n)]));
  const client = await module.createClient({ ...others, ...env, ...(standIn?.env ?? {}) });
  const running = await startSubgraph(module, { client, assertionKey: publicKey, log: createLogger(`conformance:${module.name}`, 'silent') });
  return {
    running, key: { privateKey, kid: pair.kid }, location: standIn?.location ?? null,
    standInDown: () => standIn?.faults.set({ down: true }),
    close: async () => { await running.close(); await module.close?.(client); await standIn?.close(); },
  };
}

interface Answer { status: number; body: any; headers: Headers }

async function post(url: string, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, ...(variables ? { variables } : {}) }) });
  return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
}

async function asGateway(s: Served, audience: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}, key = s.key) {
  const token = await signAssertion(key.privateKey, key.kid, audience, { ...CALLER, requestId: `conformance-${Date.now()}` }, { query, variables: variables ?? null });
  return post(s.running.url, query, { [ASSERTION_HEADER]: token, ...headers }, variables);
}

/** Representations of the module's entity types with single-field keys, a made-up key value each, in mixed order. */
function probeRepresentations(module: SubgraphModule): Record<string, unknown>[] {
  const reps: Record<string, unknown>[] = [];
  for (const m of module.typeDefs.matchAll(/\btype\s+([A-Z]\w*)[^{]*?@key\(fields:\s*"(\w+)"/g)) reps.push({ __typename: m[1], [m[2]]: 'CONFORMANCE-1' });
  return reps;
}

async function checkBuilder(module: SubgraphModule, s: Served): Promise<CheckResult> {
  const problems: string[] = [];
  const proved: string[] = [];
  const q = '{ _service { sdl } }';
  const plain = await asGateway(s, module.name, q);
  if (plain.status !== 200 || typeof plain.body?.data?._service?.sdl !== 'string') problems.push(`_service answered ${plain.status}: ${JSON.stringify(plain.body).slice(0, 200)}`);
  else {
    proved.push('_service answers the SDL');
    if (plain.body.extensions !== undefined) problems.push(`the body carries extensions (${Object.keys(plain.body.extensions).join(', ')}): a conformant subgraph's does not`);
    else proved.push('the body is data only, no extensions');
    const header = plain.headers.get(DISCLOSURES_HEADER);
    try { if (header) decodeDisclosures(header); proved.push('the disclosure report travels in the x-disclosures header'); } catch { problems.push('x-disclosures does not decode'); }
    if (!header) problems.push('no x-disclosures header: the gateway cannot audit this subgraph');
  }
  const traced = await asGateway(s, module.name, q, undefined, { 'apollo-federation-include-trace': 'ftv1' });
  const ftv1 = traced.body?.extensions?.ftv1;
  if (typeof ftv1 !== 'string' || ftv1.length < 8) problems.push('no ftv1 trace when the gateway asked for one (apollo-federation-include-trace: ftv1)');
  else proved.push('an ftv1 trace when the gateway asks');
  if (traced.body?.extensions?.[DISCLOSURES_EXTENSION] !== undefined) problems.push('the disclosure report is in the body');
  return { check: 'builder', ok: problems.length === 0, details: problems.length ? problems : proved };
}

async function checkHandshake(module: SubgraphModule, s: Served): Promise<CheckResult> {
  const problems: string[] = [];
  const q = '{ _service { sdl } }';
  const refused = (a: Answer) => a.status === 401 && a.body?.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED' && a.body?.data == null;
  const other = await newKeyPair('stranger');
  const strangerKey = { privateKey: (await importJWK(other.privateJwk, 'ES256')) as CryptoKey, kid: 'conformance' };
  const cases: [string, () => Promise<Answer>][] = [
    ['no assertion', () => post(s.running.url, q)],
    ['a malformed assertion', () => post(s.running.url, q, { [ASSERTION_HEADER]: 'not.a.jwt' })],
    ['an assertion signed by another key', () => asGateway(s, module.name, q, undefined, {}, strangerKey)],
    ['an assertion for another subgraph', () => asGateway(s, `${module.name}-other`, q)],
    ['an assertion bound to another document', async () => {
      const token = await signAssertion(s.key.privateKey, s.key.kid, module.name, { ...CALLER, requestId: 'conformance' }, { query: '{ __typename }' });
      return post(s.running.url, q, { [ASSERTION_HEADER]: token });
    }],
  ];
  for (const [what, send] of cases) {
    const a = await send();
    if (!refused(a)) problems.push(`${what}: answered ${a.status} ${JSON.stringify(a.body).slice(0, 160)} instead of 401 UNAUTHENTICATED`);
  }
  const ok = await asGateway(s, module.name, q);
  if (ok.status !== 200) problems.push(`a good assertion was refused (${ok.status})`);
  return { check: 'handshake', ok: problems.length === 0, details: problems.length ? problems : [`refuses ${cases.map(([w]) => w).join(', ')}; answers a good one`] };
}

async function checkHygiene(module: SubgraphModule, s: Served): Promise<CheckResult> {
  const problems: string[] = [];
  const host = s.location && /^https?:/.test(s.location) ? new URL(s.location).host : s.location;
  s.standInDown();
  const answers: [string, Answer][] = [['a document that does not parse', await asGateway(s, module.name, '{ _service { sdl ')]];
  const reps = probeRepresentations(module);
  if (reps.length) {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    answers.push(['_entities with the system down', await asGateway(s, module.name, query, { r: reps })]);
  }
  for (const [what, a] of answers) {
    const errors = a.body?.errors ?? [];
    if (!errors.length && what.startsWith('a document')) problems.push(`${what}: no error`);
    for (const e of errors) if (e.extensions?.code == null) problems.push(`${what}: an error without a code: ${String(e.message).slice(0, 120)}`);
    const leaks = leaksIn(a.body, host ? [host] : []);
    if (leaks.length) problems.push(`${what}: the answer carries ${leaks.join(', ')}: ${JSON.stringify(a.body).slice(0, 300)}`);
  }
  return { check: 'error hygiene', ok: problems.length === 0, details: problems.length ? problems : [`${answers.map(([w]) => w).join('; ')}: typed errors, nothing of the system in them`] };
}

async function checkContracts(slug: string, run: boolean): Promise<CheckResult> {
  const file = `test/contracts/${slug}.test.ts`;
  if (!existsSync(new URL(`../${file}`, import.meta.url))) return { check: 'contract tests', ok: true, skipped: true, details: [`no ${file}: write one against the agency's published contract (reference/)`] };
  if (!run) return { check: 'contract tests', ok: true, skipped: true, details: [`${file} runs in the test suite`] };
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync('npx', ['vitest', 'run', file], { cwd: ROOT, encoding: 'utf8' });
  return { check: 'contract tests', ok: r.status === 0, details: [r.status === 0 ? `${file} passes` : `${file} fails:\n${(r.stdout + r.stderr).split('\n').filter((l) => /FAIL|×|Error/.test(l)).slice(0, 20).join('\n')}`] };
}

/** Runs every check for one registered subgraph; never throws for a failing check. */
export async function runConformance(slug: string, opts: ConformanceOptions = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (!(SUBGRAPH_NAMES as readonly string[]).includes(slug)) {
    return [{ check: 'registered', ok: false, details: [`"${slug}" is not in subgraphs/index.ts SUBGRAPH_NAMES: add the one line (npm run new-agency does)`] }];
  }
  let modules: SubgraphModule[];
  try { modules = await loadSubgraphs(); } catch (err) { return [{ check: 'registered', ok: false, details: [(err as Error).message] }]; }
  const module = modules.find((m) => m.name === slug)!;
  results.push({ check: 'registered', ok: true, details: [`subgraphs/${slug}/index.ts loads and fulfils the module contract`] });

  try {
    composeSupergraph(modules);
    results.push({ check: 'composition', ok: true, details: [`the registry's ${modules.length} subgraphs compose`] });
  } catch (err) {
    results.push({ check: 'composition', ok: false, details: err instanceof CompositionError ? err.problems : [(err as Error).message] });
  }

  let policyOk = false;
  try {
    buildProtectedSchema(module);
    policyOk = true;
    results.push({ check: 'policy coverage', ok: true, details: [`every field of ${slug} has an entry in schema/policy/fields/${slug}.ts`] });
  } catch (err) {
    results.push({ check: 'policy coverage', ok: false, details: err instanceof PolicyError ? err.problems : [(err as Error).message] });
  }

  if (policyOk) {
    let s: Served | null = null;
    try {
      s = await serve(module, opts.env ?? process.env);
      results.push(await checkBuilder(module, s));
      results.push(await checkHandshake(module, s));
      results.push(await checkHygiene(module, s));
    } catch (err) {
      results.push({ check: 'builder', ok: false, details: [`could not serve ${slug} through the builder: ${(err as Error).message}`] });
    } finally {
      await s?.close().catch(() => undefined);
    }
  } else {
    for (const check of ['builder', 'handshake', 'error hygiene']) results.push({ check, ok: false, skipped: true, details: ['not run: the subgraph cannot start without full policy coverage'] });
  }
  results.push(await checkContracts(slug, opts.contracts ?? false));
  return results;
}

/** The results as lines for a terminal. */
export function report(slug: string, results: CheckResult[]): string {
  const lines = [`conformance of ${slug}:`];
  for (const r of results) {
    lines.push(`  ${r.skipped ? (r.ok ? 'SKIP' : 'NOT RUN') : r.ok ? 'PASS' : 'FAIL'}  ${r.check}`);
    for (const d of r.details) lines.push(`        ${d.replace(/\n/g, '\n        ')}`);
  }
  const failed = results.filter((r) => !r.ok);
  lines.push(failed.length ? `${failed.length} check(s) failed` : 'all checks passed');
  return lines.join('\n');
}

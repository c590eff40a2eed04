// npm run audit:load -- [--requests 10000] [--concurrency 20] [--stores embedded,postgres]
// The audit trail under load, through the whole stack:
//  1. the same load with the audit trail off, then on (each store): the throughput ratio is its cost;
//  2. every request has exactly one record, naming the caller and fields it disclosed, and the chain verifies;
//  3. the store is stopped in the middle of a run: from then on no response carries protected data, and
//     once it is back, requests disclose again and the chain still verifies.
// PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), a throwaway schema and roles.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { randomBytes } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { dropPgAudit, migratePgAudit, verifyChain } from '../audit/index.js';
import { startStack, type Stack } from '../platform/stack.js';

const { values } = parseArgs({ options: {
  requests: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '20' },
  stores: { type: 'string', default: 'embedded,postgres' }, outage: { type: 'string', default: '600' },
} });
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const OUTAGE_REQUESTS = Number(values.outage);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Caller { agency: string; role: string; purpose: string; subject: string; staffCode?: string; token?: string }

/** The load: court listing officers checking remand cases, police and probation officers looking people up. */
function plan(stack: Stack) {
  const cases = stack.population.courts.cases;
  const people = stack.population.people.filter((p) => p.pnc && p.crn);
  const om = (i: number) => stack.population.probation.find((p) => p.personIndex === people[i % people.length].index)!.offenderManager.staffCode;
  return (i: number): { caller: Caller; query: string; expect: string } => {
    switch (i % 4) {
      case 0: case 1:
        return { caller: { agency: 'COURTS', role: 'COURT_LISTING_OFFICER', purpose: 'COURT_LISTING', subject: 'listing-1' },
          query: `{ case(urn: "${cases[i % cases.length].urn}") { urn remandedInCustody custodyTimeLimitExpiry hearings { date } } }`, expect: 'Case.urn' };
      case 2:
        return { caller: { agency: 'POLICE', role: 'POLICE_OFFICER', purpose: 'INVESTIGATION', subject: 'police-1' },
          query: `{ personByIdentifier(type: PNC, value: "${people[i % people.length].pnc}") { name { fullName } warningMarkers { code } } }`, expect: 'Person.name' };
      default:
        return { caller: { agency: 'PROBATION', role: 'PROBATION_OFFICER', purpose: 'OFFENDER_MANAGEMENT', subject: `probation-${om(i)}`, staffCode: om(i) },
          query: `{ personByIdentifier(type: CRN, value: "${people[i % people.length].crn}") { name { fullName } supervision { crn licenceConditions { description } } } }`, expect: 'Person.name' };
    }
  };
}

async function tokenFor(stack: Stack, c: Caller, cache: Map<string, string>): Promise<string> {
  const key = `${c.subject}|${c.role}`;
  let t = cache.get(key);
  if (!t) cache.set(key, (t = await stack.token({ agency: c.agency, roles: [c.role], subject: c.subject, staffCode: c.staffCode })));
  return t;
}

interface Outcome { i: number; requestId: string; status: number; hasData: boolean; caller: Caller; expect: string; startedAt: number; doneAt: number }

async function run(stack: Stack, from: number, count: number, onRequest?: (i: number) => Promise<void>) {
  const next = plan(stack);
  const tokens = new Map<string, string>();
  const outcomes: Outcome[] = [];
  let cursor = from;
  const end = from + count;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (cursor < end) {
      const i = cursor++;
      await onRequest?.(i);
      const { caller, query, expect } = next(i);
      const requestId = `load-${i}-${randomBytes(3).toString('hex')}`;
      const startedAt = performance.now();
      const res = await fetch(stack.gatewayUrl, {
        method: 'POST', body: JSON.stringify({ query }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(stack, caller, tokens)}`, 'x-purpose': caller.purpose, 'x-request-id': requestId },
      });
      const body = (await res.json()) as { data?: Record<string, unknown> | null };
      outcomes.push({ i, requestId, status: res.status, hasData: body.data != null && Object.values(body.data).some((v) => v != null), caller, expect, startedAt, doneAt: performance.now() });
    }
  }));
  return { outcomes, seconds: (performance.now() - started) / 1000 };
}

/** Every request has one record, naming the caller it was sent as and the field it asked for. */
async function checkRecords(stack: Stack, outcomes: Outcome[]) {
  const byRequest = new Map<string, number>();
  const problems: string[] = [];
  let seq = 1;
  for (;;) {
    const page = await stack.audit.store.readRange(seq, 1000);
    if (!page.length) break;
    for (const r of page) {
      byRequest.set(r.requestId, (byRequest.get(r.requestId) ?? 0) + 1);
      const o = outcomes.find((x) => x.requestId === r.requestId);
      if (o && o.hasData && (r.caller.subject !== o.caller.subject || !r.disclosed.some((d) => d.coordinate === o.expect))) problems.push(`record ${r.seq} does not name ${o.caller.subject} / ${o.expect}`);
    }
    seq = page[page.length - 1].seq + 1;
  }
  for (const o of outcomes) {
    const n = byRequest.get(o.requestId) ?? 0;
    if (o.hasData && n !== 1) problems.push(`${o.requestId} disclosed data with ${n} records`);
    if (!o.hasData && o.status === 200 && n !== 1) problems.push(`${o.requestId} answered without a record`);
  }
  return { records: [...byRequest.values()].reduce((a, b) => a + b, 0), problems };
}

async function scenario(store: 'embedded' | 'postgres', baselinePerSecond: number) {
  const suffix = randomBytes(4).toString('hex');
  const schema = `audit_load_${suffix}`;
  const appRole = `audit_load_app_${suffix}`;
  const auditEnv: Record<string, string> = {};
  if (store === 'postgres') {
    await migratePgAudit(ADMIN_URL, { schema, appRole, retentionRole: `audit_load_ret_${suffix}` });
    const u = new URL(ADMIN_URL);
    u.username = appRole;
    u.password = '';
    Object.assign(auditEnv, { AUDIT_DATABASE_URL: u.toString(), AUDIT_DB_SCHEMA: schema });
  }
  const stack = await startStack({ population: { size: 2000 }, logLevel: 'silent', auditEnv });
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  admin.on('error', () => {});
  try {
    await run(stack, 0, 200); // warm-up, audited too
    const load = await run(stack, 200, REQUESTS);
    const perSecond = REQUESTS / load.seconds;
    const audited = await checkRecords(stack, load.outcomes);
    const statuses = load.outcomes.reduce<Record<number, number>>((m, o) => ((m[o.status] = (m[o.status] ?? 0) + 1), m), {});

    // The store goes away a third of the way into a run and comes back at two thirds.
    const auditDir = (stack.audit.store as unknown as { dir?: string }).dir;
    if (store === 'postgres') await admin.connect();
    const stopAt = 200 + REQUESTS + Math.floor(OUTAGE_REQUESTS / 3);
    const startAt = 200 + REQUESTS + Math.floor((2 * OUTAGE_REQUESTS) / 3);
    let down = false;
    let downAt = Infinity;
    let upAt = Infinity;
    const toggle = async (i: number) => {
      if (i === stopAt && !down) {
        down = true;
        downAt = performance.now();
        if (store === 'embedded') await rename(auditDir!, `${auditDir}.away`);
        else { await admin.query(`ALTER ROLE ${appRole} NOLOGIN`); await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [appRole]); }
      }
      if (i === startAt && down) {
        down = false;
        if (store === 'embedded') await rename(`${auditDir}.away`, auditDir!);
        else await admin.query(`ALTER ROLE ${appRole} LOGIN`);
        upAt = performance.now();
      }
    };
    const outage = await run(stack, 200 + REQUESTS, OUTAGE_REQUESTS, toggle);
    const sorted = outage.outcomes.sort((a, b) => a.i - b.i);
    // Sent after the store went away and answered before it came back: its record would have had to be
    // written while it was away, so none of these may carry data. (A request already answered by the
    // time the store went was recorded before it went.)
    const during = sorted.filter((o) => o.startedAt > downAt && o.doneAt < upAt);
    const after = sorted.filter((o) => o.i >= startAt + CONCURRENCY * 2);
    const outageAudit = await checkRecords(stack, outage.outcomes);
    const verified = await verifyChain(stack.audit.store, stack.auditKeys);
    return {
      store, requests: REQUESTS, concurrency: CONCURRENCY, statuses,
      perSecond: +perSecond.toFixed(1), auditOnOffRatio: +(perSecond / baselinePerSecond).toFixed(3),
      records: audited.records, recordProblems: audited.problems.slice(0, 5),
      outage: {
        requests: OUTAGE_REQUESTS, during: during.length,
        duringWithData: during.filter((o) => o.hasData).length,
        duringAuditUnavailable: during.filter((o) => o.status === 503).length,
        afterDisclosing: after.filter((o) => o.hasData).length, after: after.length,
        disclosedWithoutRecord: outageAudit.problems.filter((p) => p.includes('disclosed data')).length,
      },
      chainVerifies: verified.ok, chainRecords: verified.ok ? verified.records : (verified as { firstBad?: unknown }).firstBad,
    };
  } finally {
    await stack.close();
    await admin.end().catch(() => {});
    if (store === 'postgres') await dropPgAudit(ADMIN_URL, { schema, appRole, retentionRole: `audit_load_ret_${suffix}` });
  }
}

/** Throughput with no audit trail at all, on a fresh stack, after the same warm-up. */
async function auditOff(): Promise<number> {
  const s = await startStack({ population: { size: 2000 }, logLevel: 'silent', audit: false });
  try {
    await run(s, 0, 200);
    return REQUESTS / (await run(s, 200, REQUESTS)).seconds;
  } finally {
    await s.close();
  }
}

// The machine's noise moves throughput by more than auditing does: measure "off" before and after, and use the mean.
const offBefore = await auditOff();
const stores = values.stores!.split(',') as ('embedded' | 'postgres')[];
const scenarios = [];
for (const store of stores) scenarios.push(await scenario(store, offBefore));
const offAfter = await auditOff();
const baseline = (offBefore + offAfter) / 2;
for (const s of scenarios) s.auditOnOffRatio = +(s.perSecond / baseline).toFixed(3);
const results: unknown[] = [{ auditOff: { requests: REQUESTS, concurrency: CONCURRENCY, perSecondBefore: +offBefore.toFixed(1), perSecondAfter: +offAfter.toFixed(1) } }, ...scenarios];
console.log(JSON.stringify(results, null, 2));
const failed = results.slice(1).some((r) => {
  const x = r as { records: number; requests: number; recordProblems: string[]; chainVerifies: boolean; outage: { duringWithData: number; disclosedWithoutRecord: number; afterDisclosing: number } };
  return x.recordProblems.length > 0 || !x.chainVerifies || x.outage.duringWithData > 0 || x.outage.disclosedWithoutRecord > 0 || x.outage.afterDisclosing === 0;
});
process.exit(failed ? 1 : 0);

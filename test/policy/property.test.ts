// Property: whatever a caller asks, no protected value reaches them unless the disclosure policy says
// they may see it. Protected free text in the population is replaced by canaries (legacy/canaries.ts);
// random callers send random valid queries (query-arbitrary.ts) through the whole stack; every response
// (body and headers) is searched for canaries, and each one found must be one the independent oracle
// (oracle.ts: the policy data read afresh, record facts from the population's truth) allows this
// caller to see by some path. A purpose the caller's role may not declare must be refused with 403
// PURPOSE_NOT_PERMITTED and no data.
//
//   PROPERTY_RUNS=2000 PROPERTY_SEED=123 npx vitest run test/policy/property.test.ts
//   PROPERTY_CRAFTED_IDS=0   leave out person(id:) keys that join two people's records
//   PROPERTY_DEBUG=1         print every request with its timing
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCanaries, plantCanaries, type Canary } from '../../legacy/canaries.js';
import { generatePopulation, type Population } from '../../legacy/population.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { PURPOSES, ROLES } from '../../schema/policy/index.js';
import { declarablePurposes, heldRoles, mayEverSee } from './oracle.js';
import { apiSchemaFromSupergraph, queryArbitrary, type GeneratedQuery, type QuerySeeds, type Seed } from './query-arbitrary.js';

const FIXED_SEED = Number(process.env.PROPERTY_SEED ?? 20261121);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);
/** Root fields answering counts under disclosure control: the generator finds them in the schema; the test checks it did. */
const AGGREGATE_ROOTS = ['courtStatistics', 'remandPopulation', 'dataQualityReport'];
/** Runs of the list property: many people in one request, linked together in shared waves. */
const LIST_RUNS = Number(process.env.PROPERTY_LIST_RUNS ?? 60);
/** Set to 0 to leave out crafted person ids (P1:...) that join one person's record to another person's. */
const CRAFTED_IDS = process.env.PROPERTY_CRAFTED_IDS !== '0';

/** A caller as generated: the staff code is either given, or "the k-th staff code related to the records the query names". */
interface CallerSpec {
  agency: string;
  roles: string[];
  purpose: string;
  staff: { code: string | undefined } | { related: number };
}
interface Caller {
  agency: string;
  roles: string[];
  purpose: string;
  staffCode: string | undefined;
}

let stack: Stack;
let population: Population;
let canaries: Canary[];

beforeAll(async () => {
  const planted = plantCanaries(generatePopulation({ size: 300 }));
  population = planted.population;
  canaries = planted.canaries;
  // One synthetic user per agency sends every request: rate limits that refused some would silently test less.
  // The list property puts up to eight people in one query, each with random @include/@skip on most fields:
  // more directives than the production default (50) admits. Every other limit stays at its default.
  const unlimited = { perUser: { requests: 1e9, windowSeconds: 60 }, perAgency: { requests: 1e9, windowSeconds: 60 }, distinctSubjects: { perUser: 1e9, byRole: {}, windowSeconds: 3600 } };
  stack = await startStack({ population, logLevel: 'silent', breaker: { failures: 1_000_000, cooldownMs: 1000 }, edge: { rateLimits: unlimited, limits: { maxDirectives: 400 } } });
}, 120_000);
afterAll(async () => stack?.close());

// ---- who asks ------------------------------------------------------------------------------------

/** Roles with record conditions are drawn more often: that is where the rules are subtle. */
const ROLE_WEIGHT: Partial<Record<string, number>> = { PROBATION_OFFICER: 3, VICTIM_LIAISON_OFFICER: 3, COURT_LISTING_OFFICER: 2 };

function callerArb(pop: Population): fc.Arbitrary<CallerSpec> {
  const omCodes = [...new Set(pop.probation.map((p) => p.offenderManager.staffCode))].sort();
  const vloCodes = [...new Set(pop.victims.map((v) => v.liaisonOfficer))].sort();
  const roleNames = Object.keys(ROLES) as (keyof typeof ROLES)[];
  const purposes = Object.keys(PURPOSES);
  const staffFor = (agency: string): fc.Arbitrary<CallerSpec['staff']> => {
    const none = fc.constant({ code: undefined });
    const made = fc.integer({ min: 1, max: 999 }).map((n) => ({ code: `${agency.slice(0, 2)}${String(n).padStart(4, '0')}` }));
    const related = fc.nat({ max: 50 }).map((k) => ({ related: k }));
    const pool = agency === 'PROBATION' ? omCodes : agency === 'VICTIMS' ? vloCodes : [...omCodes.slice(0, 5), ...vloCodes.slice(0, 5)];
    // Another agency's staff may carry an offender manager's or liaison officer's code: it must not count.
    return fc.oneof({ weight: 6, arbitrary: related }, { weight: 2, arbitrary: fc.constantFrom(...pool).map((code) => ({ code })) }, { weight: 1, arbitrary: none }, { weight: 1, arbitrary: made });
  };
  const role = fc.oneof(...roleNames.map((r) => ({ weight: ROLE_WEIGHT[r] ?? 1, arbitrary: fc.constant(r) })));
  return role.chain((r) => {
    const agency: string = ROLES[r].agency;
    const sameAgency = roleNames.filter((x) => ROLES[x].agency === agency && x !== r);
    const foreign = roleNames.filter((x) => ROLES[x].agency !== agency);
    const roles: fc.Arbitrary<string[]> = fc.oneof(
      { weight: 16, arbitrary: fc.constant<string[]>([r]) },
      { weight: sameAgency.length ? 2 : 0, arbitrary: sameAgency.length ? fc.constantFrom(...sameAgency).map((x): string[] => [r, x]) : fc.constant<string[]>([r]) },
      { weight: 1, arbitrary: fc.constantFrom(...foreign).map((x): string[] => [x]) }, // a role of another agency: holds nothing
    );
    return fc.record({ roles, staff: staffFor(agency) }).chain(({ roles: rs, staff }) => {
      const allowed = declarablePurposes(rs, agency);
      const purpose = allowed.length
        ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...allowed) }, { weight: 1, arbitrary: fc.constantFrom(...purposes) })
        : fc.constantFrom(...purposes);
      return purpose.map((p): CallerSpec => ({ agency, roles: rs, purpose: p, staff }));
    });
  });
}

/** The caller a spec stands for, given the query: a "related" staff code is one of the query's records' officers of the caller's agency. */
function resolveCaller(spec: CallerSpec, q: GeneratedQuery): Caller {
  let staffCode: string | undefined;
  if ('code' in spec.staff) staffCode = spec.staff.code;
  else {
    const mine = q.related.filter((r) => r.startsWith(`${spec.agency}:`)).map((r) => r.slice(spec.agency.length + 1));
    const any = q.related.map((r) => r.slice(r.indexOf(':') + 1));
    const list = mine.length ? mine : any; // no officer of the caller's agency: borrow another's code (it must not count)
    staffCode = list.length ? list[spec.staff.related % list.length] : undefined;
  }
  return { agency: spec.agency, roles: spec.roles, purpose: spec.purpose, staffCode };
}

// ---- what they ask about -------------------------------------------------------------------------

function seeds(pop: Population): QuerySeeds {
  const related = new Map<number, Set<string>>(pop.people.map((p) => [p.index, new Set<string>()]));
  for (const p of pop.probation) related.get(p.personIndex)!.add(`PROBATION:${p.offenderManager.staffCode}`);
  const caseOf = new Map(pop.courts.cases.map((c) => [c.urn, c]));
  for (const v of pop.victims) related.get(caseOf.get(v.caseUrn)?.personIndex ?? v.offenderPersonIndex)!.add(`VICTIMS:${v.liaisonOfficer}`);
  const rel = (...people: number[]) => [...new Set(people.flatMap((i) => [...(related.get(i) ?? [])]))].sort();
  const people = pop.people;

  // Real person keys, and crafted ones: one person's record joined with another person's record.
  const personIds: Seed[] = [];
  for (const t of people) {
    const refs = ([...t.asns.map((a) => ['courts', a] as const), ['police', t.nominalId], ['prisons', t.prisonNumber], ['probation', t.crn]] as const).filter(([, id]) => id != null);
    if (refs.length) personIds.push({ value: `P1:${refs.map(([a, id]) => `${a}=${id}`).join(',')}`, related: rel(t.index) });
  }
  if (CRAFTED_IDS) {
    const ref = (t: (typeof people)[number], agency: 'courts' | 'police' | 'prisons' | 'probation') =>
      ({ courts: t.asns[0] ?? null, police: t.nominalId, prisons: t.prisonNumber, probation: t.crn })[agency];
    const pairs: ['courts' | 'police' | 'prisons' | 'probation', 'courts' | 'police' | 'prisons' | 'probation'][] = [
      ['courts', 'probation'], ['police', 'probation'], ['courts', 'prisons'], ['police', 'courts'], ['prisons', 'probation'],
    ];
    for (let k = 0; k < people.length; k++) {
      const a = people[k], b = people[(k * 37 + 11) % people.length];
      if (a.index === b.index) continue;
      const [x, y] = pairs[k % pairs.length];
      const ax = ref(a, x), by = ref(b, y);
      if (ax && by) personIds.push({ value: `P1:${x}=${ax},${y}=${by}`, related: rel(a.index, b.index) });
    }
  }
  const bySurname = new Map<string, number[]>();
  for (const t of people) bySurname.set(t.surname, [...(bySurname.get(t.surname) ?? []), t.index]);
  return {
    pncs: people.filter((t) => t.pnc).map((t) => ({ value: t.pnc!, related: rel(t.index) })),
    identifiers: [
      ...pop.probation.map((p) => ({ type: 'CRN', value: p.crn, related: rel(p.personIndex) })),
      ...pop.prisons.map((p) => ({ type: 'PRISON_NUMBER', value: p.offenderNo, related: rel(p.personIndex) })),
    ],
    surnames: [...bySurname].map(([surname, idx]) => ({ value: surname, related: rel(...idx) })),
    urns: pop.courts.cases.map((c) => ({
      value: c.urn,
      related: [...new Set([...pop.victims.filter((v) => v.caseUrn === c.urn).map((v) => `VICTIMS:${v.liaisonOfficer}`), ...rel(c.personIndex)])].sort(),
    })),
    victimIds: pop.victims.map((v) => ({ value: v.victimId, related: [...new Set([`VICTIMS:${v.liaisonOfficer}`, ...rel(v.offenderPersonIndex)])].sort() })),
    personIds,
    offenderManagers: [...new Set(pop.probation.map((p) => p.offenderManager.staffCode))].sort().map((code) => ({ value: code, related: [`PROBATION:${code}`] })),
    liaisonOfficers: [...new Set(pop.victims.map((v) => v.liaisonOfficer))].sort().map((code) => ({ value: code, related: [`VICTIMS:${code}`] })),
    // Courts with a hearing listed on or after the population's day, for the court list.
    courts: [...new Set(pop.courts.cases.flatMap((c) => c.hearings.filter((h) => h.date >= pop.referenceDate).map((h) => h.courtOu)))].sort()
      .map((code) => ({ value: code, related: rel(...pop.courts.cases.filter((c) => c.hearings.some((h) => h.courtOu === code)).map((c) => c.personIndex)) })),
    listingDay: pop.referenceDate,
    // Windows of the aggregates start within the year before the world's reference date.
    months: Array.from({ length: 12 }, (_, i) => { const d = new Date(`${pop.referenceDate.slice(0, 7)}-01T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() - i); return d.toISOString().slice(0, 7); }),
  };
}

// ---- the property --------------------------------------------------------------------------------

interface Leak { caller: Caller; query: GeneratedQuery; canary: Canary; where: string }

describe('no protected value reaches a caller the policy does not allow', () => {
  it('holds for random callers and random valid queries', async () => {
    const schema = apiSchemaFromSupergraph();
    const boost = new Set(canaries.flatMap((c) => c.surfaces.flatMap((s) => s.path)));
    await holds(queryArbitrary(schema, seeds(population), { boost, maxDepth: 5 }), RUNS);
  }, 300_000);

  it('holds for lists of people in one request, through the batched identity paths', async () => {
    const schema = apiSchemaFromSupergraph();
    const boost = new Set(canaries.flatMap((c) => c.surfaces.flatMap((s) => s.path)));
    // Up to eight people per request (aliases, searches): their records are linked in shared waves,
    // so a decision leaking from one person to another would show here.
    await holds(queryArbitrary(schema, seeds(population), { boost, maxDepth: 4, maxRoots: 8, rootWeights: { personByIdentifier: 4, person: 4, searchPeople: 2, case: 1, victim: 1 } }), LIST_RUNS);
  }, 300_000);
});

describe('provenance is protected like the record it describes', () => {
  // The custody record ids are canaries (legacy/canaries.ts): one surfaces as `CustodyRecord.id` and as
  // `CustodyRecord.provenance.recordId`, so where a record is withheld its provenance's record id must be too.
  const CALLERS = [
    { agency: 'POLICE', roles: ['POLICE_OFFICER'], purpose: 'INVESTIGATION' },
    { agency: 'CPS', roles: ['CPS_PROSECUTOR'], purpose: 'PROSECUTION' },
    { agency: 'PRISONS', roles: ['PRISON_OFFICER'], purpose: 'CUSTODY_MANAGEMENT' },
    { agency: 'PROBATION', roles: ['PROBATION_OFFICER'], purpose: 'OFFENDER_MANAGEMENT', related: true },
    { agency: 'PROBATION', roles: ['PROBATION_OFFICER'], purpose: 'OFFENDER_MANAGEMENT' },
    { agency: 'VICTIMS', roles: ['VICTIM_LIAISON_OFFICER'], purpose: 'VICTIM_CONTACT' },
  ];
  const QUERY = `query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { arrests { custodyRecord { provenance { agency recordId } } } } }`;

  it('discloses a custody record\'s provenance record id exactly when the oracle allows the custody record', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const ids = canaries.filter((c) => c.source === 'police[].arrests[].custody.custodyId');
    expect(ids.length).toBeGreaterThan(0);
    const c = ids.find((x) => population.people[x.record.personIndex].pnc && population.probation.some((p) => p.personIndex === x.record.personIndex))!;
    const pnc = population.people[c.record.personIndex].pnc!;
    const om = population.probation.find((p) => p.personIndex === c.record.personIndex)!.offenderManager.staffCode;
    const provenancePath = c.surfaces.find((s) => s.path.includes('CustodyRecord.provenance'))!;
    let seen = 0;
    for (const who of CALLERS) {
      const staffCode = who.related ? om : undefined;
      const token = await stack.token({ agency: who.agency, roles: who.roles, staffCode });
      const res = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': who.purpose },
        body: JSON.stringify({ query: QUERY, variables: { pnc } }),
      });
      const text = await res.text();
      const allowed = mayEverSee(who.roles, who.agency, who.purpose, staffCode, provenancePath.path, provenancePath.record, population, today);
      const found = findCanaries(text, canaries).some((x) => x.n === c.n);
      expect(found, `${who.roles[0]}${staffCode ? ` (${staffCode})` : ''}: ${text.slice(0, 300)}`).toBe(allowed);
      if (found) {
        seen++;
        expect(text).toContain(`"recordId":"${c.value}"`);
      }
    }
    // Not vacuous: some callers see it, some do not.
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(CALLERS.length);
  }, 60_000);
});

async function holds(queries: fc.Arbitrary<GeneratedQuery>, runs: number): Promise<void> {
  const callers = callerArb(population);
  const today = new Date().toISOString().slice(0, 10);
  const stats = { runs: 0, refused: 0, allowedSeen: 0, allowedBySource: new Map<string, number>(), statuses: new Map<number, number>(), worklists: new Map<string, { asked: number; withItems: number }>() };
  console.log(`policy property: seed=${FIXED_SEED} runs=${runs} canaries=${canaries.length} crafted-ids=${CRAFTED_IDS} today=${today}`);
  const started = Date.now();

  await fc.assert(
    fc.asyncProperty(callers, queries, async (spec, q) => {
      stats.runs++;
      const caller = resolveCaller(spec, q);
      const t0 = Date.now();
      const token = await stack.token({ agency: caller.agency, roles: caller.roles, staffCode: caller.staffCode });
      const res = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': caller.purpose },
        body: JSON.stringify({ query: q.query, variables: q.variables }),
      });
      const text = await res.text();
      if (process.env.PROPERTY_DEBUG) console.log(`run ${stats.runs} ${Date.now() - t0}ms ${res.status} ${text.length}B ${caller.roles.join('+')}/${caller.purpose} ${q.query.replace(/\s+/g, ' ').slice(0, 200)}`);
      const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
      for (const root of ['myCaseload', 'myVictims', 'courtList', 'remandCases', 'courtBacklog']) {
        if (!new RegExp(`\\b${root}\\(`).test(q.query)) continue;
        const w = stats.worklists.get(root) ?? { asked: 0, withItems: 0 };
        w.asked++;
        if (/"items":\[\{/.test(text)) w.withItems++;
        stats.worklists.set(root, w);
      }
      // Aggregates: asked, and answered with counts to some caller (the analyst).
      for (const root of AGGREGATE_ROOTS) {
        if (!new RegExp(`\\b${root}\\(`).test(q.query)) continue;
        const w = stats.worklists.get(root) ?? { asked: 0, withItems: 0 };
        w.asked++;
        if (new RegExp(`"${root}":\\{`).test(text)) w.withItems++;
        stats.worklists.set(root, w);
      }
      stats.statuses.set(res.status, (stats.statuses.get(res.status) ?? 0) + 1);
      const held = heldRoles(caller.roles, caller.agency);
      const body = JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: string; limit?: string } }[] };
      // The query limits must admit every valid query the generator makes (they are meant for abuse, not for this).
      expect(body.errors?.[0]?.extensions?.limit, text.slice(0, 300)).toBeUndefined();
      if (!held.length || !declarablePurposes(held, caller.agency).includes(caller.purpose)) {
        stats.refused++;
        expect(res.status, text.slice(0, 300)).toBe(403);
        expect(body.errors?.[0]?.extensions?.code).toBe(held.length ? 'PURPOSE_NOT_PERMITTED' : 'FORBIDDEN');
        expect(body.data ?? null).toBeNull();
      }
      const leaks: Leak[] = [];
      for (const [where, haystack] of [['body', text], ['headers', headers]] as const) {
        for (const c of findCanaries(haystack, canaries)) {
          const allowed = c.surfaces.some((s) => mayEverSee(caller.roles, caller.agency, caller.purpose, caller.staffCode, s.path, s.record, population, today));
          if (allowed) {
            stats.allowedSeen++;
            stats.allowedBySource.set(c.source, (stats.allowedBySource.get(c.source) ?? 0) + 1);
          } else leaks.push({ caller, query: q, canary: c, where });
        }
      }
      if (leaks.length) {
        const l = leaks[0];
        const at = text.toLowerCase().indexOf(l.canary.needle);
        throw new Error([
          `${leaks.length} protected value(s) disclosed that the policy does not allow; first:`,
          `  caller:   ${JSON.stringify(l.caller)}`,
          `  canary:   ${l.canary.value} from ${l.canary.source}, record ${JSON.stringify(l.canary.record)}`,
          `  field:    ${l.canary.path.join(' > ')} (in the ${l.where})`,
          `  context:  ${at >= 0 ? text.slice(Math.max(0, at - 300), at + 80) : '(header)'}`,
          `  all:      ${leaks.map((x) => `${x.canary.source}:${x.canary.value}`).join(', ')}`,
          `  query:    ${l.query.query.replace(/\s+/g, ' ')}`,
          `  variables:${JSON.stringify(l.query.variables)}`,
        ].join('\n'));
      }
    }),
    { numRuns: runs, seed: FIXED_SEED, endOnFailure: true },
  );

  console.log(`policy property: ${stats.runs} runs in ${((Date.now() - started) / 1000).toFixed(1)}s; refused ${stats.refused}; statuses ${JSON.stringify(Object.fromEntries(stats.statuses))}; `
    + `allowed canaries seen ${stats.allowedSeen} ${JSON.stringify(Object.fromEntries(stats.allowedBySource))}; worklists ${JSON.stringify(Object.fromEntries(stats.worklists))}`);
  // Not vacuous: the queries do reach protected values when the policy allows them, and the worklists answer some callers.
  expect(stats.allowedSeen).toBeGreaterThan(0);
  if (runs >= 100) for (const root of ['myCaseload', 'myVictims']) expect(stats.worklists.get(root)?.withItems ?? 0, root).toBeGreaterThan(0);
  // The aggregate root fields are in the generated queries (found in the schema, not listed by hand).
  if (runs >= 100) for (const root of AGGREGATE_ROOTS) expect(stats.worklists.get(root)?.asked ?? 0, root).toBeGreaterThan(0);
}

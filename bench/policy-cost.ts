// npm run bench:policy — what the disclosure policy costs in CPU on a 1,000-item list, as ratios:
// the protected schema (policy on) and a graphql-shield that allows everything (the old way: every field
// wrapped) against the same schema with no policy at all. Two lists: a synthetic module built through
// the same harness (`Query.roll`, 1,000 people with decided, conditional and inherited fields), and the
// prisons subgraph's own `_entities` for 1,000 people over an in-memory client (no stand-in, no HTTP:
// the product alone). CPU is process.cpuUsage() over many executions after a warm-up, the variants
// interleaved round by round so drift hits them alike. BENCH_POLICY_ROUNDS (default 12), BENCH_POLICY_SIZE (1000).
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { execute, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, shield } from 'graphql-shield';
import pino from 'pino';
import { loadPolicy, type FieldTable } from '../schema/policy/index.js';
import { encodePersonId } from '../schema/person-id.js';
import { RequestDisclosures } from '../subgraphs/disclosures.js';
import { buildProtectedSchema, buildUnprotectedSchema } from '../subgraphs/harness.js';
import prisons from '../subgraphs/prisons/index.js';
import { NO_RELATIONSHIPS, type Caller, type SubgraphModule } from '../subgraphs/types.js';

const SIZE = Number(process.env.BENCH_POLICY_SIZE ?? 1000);
const ROUNDS = Number(process.env.BENCH_POLICY_ROUNDS ?? 12);
const PER_ROUND = 10;
const log = pino({ level: 'silent' });

// ---- a synthetic roll: decided, conditional and inherited fields on every item ---------------------
const roll: SubgraphModule = {
  name: 'benchroll', agency: 'PRISONS', description: 'policy cost bench',
  typeDefs: `type Query { roll(size: Int!): [Resident] }
    type Resident @key(fields: "id") { id: ID!  name: PersonName  dateOfBirth: Date  location: Location  youthNote: String }
    type Location { wing: String  landing: String  cell: String }`,
  resolvers: {
    Query: {
      roll: (_: unknown, { size }: { size: number }) => Array.from({ length: size }, (_x, i) => ({
        id: `R${i}`, name: { forenames: ['Sam', 'Lee'], surname: `Person${i}`, fullName: `Sam Lee Person${i}` }, dateOfBirth: '1990-01-01',
        location: { wing: 'A', landing: String(i % 4), cell: String(i % 30) }, youthNote: 'note', youth: i % 10 === 0,
      })),
    },
  },
  policyFacts: { Resident: (r: { youth: boolean }) => ({ youth: r.youth }) },
  createClient: () => ({}), createLoaders: () => ({}),
};
const ROLL_TABLE: FieldTable = {
  'Query.roll': ['PRISON_OFFICER : * | own'],
  'Resident.id': ['PRISON_OFFICER : * | own'],
  'Resident.name': ['PRISON_OFFICER : * | own'],
  'Resident.dateOfBirth': ['PRISON_OFFICER : * | own'],
  'Resident.location': ['PRISON_OFFICER : * | own'],
  'Resident.youthNote': ['PRISON_OFFICER : * | own | if ADULT_AT_OFFENCE'],
  'Location.*': 'INHERIT',
};
const rollPolicy = loadPolicy({ benchroll: { owner: 'PRISONS', table: ROLL_TABLE } }).get('benchroll')!;
const rollQuery = parse(`query($n: Int!) { roll(size: $n) { id name { forenames surname fullName } dateOfBirth location { wing landing cell } youthNote } }`);

// ---- the prisons subgraph's _entities over an in-memory client -----------------------------------
const period = (n: number) => ({
  bookingId: String(1200000 + n), bookingNumber: `${n}A`, prison: { code: 'MDI', name: 'Moorland (HMP & YOI)' }, legalStatus: 'SENTENCED',
  receptionDate: '2025-01-01', active: true, releaseDate: null, expectedReleaseDate: '2027-01-01', sentenceLengthDays: 730, cellLocation: 'A-1-002',
});
const checked = { raw: null, value: null, valid: false };
const prisonerRecord = (prisonNumber: string) => ({
  prisonNumber, name: { title: null, forenames: ['Callum'], surname: 'Wright', fullName: 'Callum Wright' }, dateOfBirth: '1990-01-01', sex: 'MALE', sexRecorded: 'M',
  pnc: checked, cro: checked, aliases: [], dataQuality: [],
});
const prisonsClient = {
  prisonersByNumber: async (numbers: readonly string[]) => new Map(numbers.map((n) => [n, { nextReleaseDate: '2027-01-01', record: prisonerRecord(n), custody: [period(Number(n.slice(1, 5)))] }])),
  alertsByNumber: async (numbers: readonly string[]) => new Map(numbers.map((n) => [n, []])),
};
const people = Array.from({ length: SIZE }, (_x, i) => ({ __typename: 'Person', id: encodePersonId([{ agency: 'prisons', localId: `A${String(i).padStart(4, '0')}BC` }]) }));
const entitiesQuery = parse(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id nextReleaseDate
  custodyPeriods { bookingId bookingNumber prison { code name } legalStatus receptionDate active releaseDate expectedReleaseDate sentenceLengthDays cellLocation } } } }`);

// ---- measurement ---------------------------------------------------------------------------------
const officer: Caller = {
  subject: 'bench', agency: 'PRISONS', roles: ['PRISON_OFFICER'], purpose: 'CUSTODY_MANAGEMENT', justification: null, staffCode: null, relationships: NO_RELATIONSHIPS,
};

interface Case { name: string; module: SubgraphModule; client: unknown; document: DocumentNode; variables: Record<string, unknown>; policy?: ReturnType<typeof loadPolicy> extends Map<string, infer P> ? P : never }

async function runOnce(schema: GraphQLSchema, c: Case): Promise<void> {
  const contextValue = { caller: officer, requestId: 'bench', loaders: c.module.createLoaders(c.client, 'bench'), log, disclosures: new RequestDisclosures() };
  const r = await execute({ schema, document: c.document, variableValues: c.variables, contextValue });
  const errors = (r.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN');
  if (errors.length) throw new Error(`${c.name}: ${errors[0].message}`);
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function measure(c: Case) {
  const variants: Record<string, GraphQLSchema> = {
    off: buildUnprotectedSchema(c.module),
    on: buildProtectedSchema(c.module, c.policy),
    allowAllShield: applyMiddleware(buildUnprotectedSchema(c.module), shield({}, { fallbackRule: allow, allowExternalErrors: true })),
  };
  const cpu: Record<string, number> = Object.fromEntries(Object.keys(variants).map((k) => [k, 0]));
  for (const s of Object.values(variants)) for (let i = 0; i < 20; i++) await runOnce(s, c); // warm-up: JIT and caches
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, s] of Object.entries(variants)) {
      const start = cpuMicros();
      for (let i = 0; i < PER_ROUND; i++) await runOnce(s, c);
      cpu[name] += cpuMicros() - start;
    }
  }
  const perRun = (k: string) => cpu[k] / (ROUNDS * PER_ROUND) / 1000;
  return {
    list: c.name, items: SIZE, runs: ROUNDS * PER_ROUND,
    cpuMsPerRun: { off: +perRun('off').toFixed(2), on: +perRun('on').toFixed(2), allowAllShield: +perRun('allowAllShield').toFixed(2) },
    ratio: { policyOnVsOff: +(cpu.on / cpu.off).toFixed(2), allowAllShieldVsOff: +(cpu.allowAllShield / cpu.off).toFixed(2) },
  };
}

const results = [
  await measure({ name: 'synthetic Query.roll', module: roll, client: {}, document: rollQuery, variables: { n: SIZE }, policy: rollPolicy }),
  await measure({ name: 'prisons _entities (Person.custodyPeriods, nextReleaseDate)', module: prisons, client: prisonsClient, document: entitiesQuery, variables: { r: people } }),
];
console.log(JSON.stringify({ date: new Date().toISOString(), node: process.version, goal: 'policyOnVsOff <= 1.5', results }, null, 2));

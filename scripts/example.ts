// npm run example [-- --pnc <PNC>] [--url <gateway>] [--agency POLICE --role POLICE_OFFICER --purpose INVESTIGATION]
// npm run example -- --query my-caseload [--staff-code N07A030] [--since 2026-11-30]     (an offender manager's caseload)
// npm run example -- --query my-victims [--staff-code VLO017]                           (a liaison officer's victims)
// npm run example -- --query court-list [--on 2026-11-01]                                 (a listing officer's remand cases)
// npm run example -- --query prosecution [--pnc <PNC>]                                  (a prosecutor's case files)
// Sends one of the README's queries to a running gateway with a development token and prints the answer.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importKey, loadOrCreateDevKeyPair } from '../auth/keys.js';
import { issueToken } from '../auth/tokens.js';
import { generatePopulation } from '../legacy/population.js';
import { orExit, pickSettings } from '../platform/config.js';

const settings = orExit(() => pickSettings(process.env, ['GATEWAY_PORT', 'POPULATION_SIZE', 'POPULATION_SEED', 'AUTH_ISSUER', 'AUTH_AUDIENCE']));

/** Each README query block, with the caller who sends it by default. */
const QUERIES: Record<string, { block: string; agency: string; role: string; purpose: string }> = {
  person: { block: 'example-query', agency: 'POLICE', role: 'POLICE_OFFICER', purpose: 'INVESTIGATION' },
  'my-caseload': { block: 'caseload-query', agency: 'PROBATION', role: 'PROBATION_OFFICER', purpose: 'OFFENDER_MANAGEMENT' },
  'my-victims': { block: 'victims-query', agency: 'VICTIMS', role: 'VICTIM_LIAISON_OFFICER', purpose: 'VICTIM_CONTACT' },
  'court-list': { block: 'court-list-query', agency: 'COURTS', role: 'COURT_LISTING_OFFICER', purpose: 'COURT_LISTING' },
  prosecution: { block: 'prosecution-query', agency: 'CPS', role: 'CPS_PROSECUTOR', purpose: 'PROSECUTION' },
};

const { values } = parseArgs({
  options: {
    query: { type: 'string', default: 'person' },
    pnc: { type: 'string' },
    url: { type: 'string', default: `http://127.0.0.1:${settings.GATEWAY_PORT}/graphql` },
    agency: { type: 'string' },
    role: { type: 'string' },
    purpose: { type: 'string' },
    'staff-code': { type: 'string' },
    since: { type: 'string' },
    on: { type: 'string' },
    first: { type: 'string', default: '20' },
  },
});
const chosen = QUERIES[values.query!];
if (!chosen) throw new Error(`--query must be one of ${Object.keys(QUERIES).join(', ')}`);
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const query = new RegExp(`<!-- ${chosen.block} -->\\s*\`\`\`graphql\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
if (!query) throw new Error(`README.md has lost its ${chosen.block} block`);
// The population `npm start` serves: its example person, and that person's offender manager and liaison officer.
const population = generatePopulation({ size: settings.POPULATION_SIZE, seed: settings.POPULATION_SEED });
const example = population.examples.everywhere;
const staffCode = values['staff-code'] ?? (values.query === 'my-caseload' ? population.probation.find((p) => p.personIndex === example)?.offenderManager.staffCode
  : values.query === 'my-victims' ? population.victims.find((v) => v.offenderPersonIndex === example)?.liaisonOfficer : undefined);
const variables = values.query === 'my-caseload' ? { since: values.since ?? '2020-01-01', first: Number(values.first) }
  : values.query === 'my-victims' ? { first: Number(values.first) }
  // The population's own day, so the priorities are those of the world the stand-ins serve.
  : values.query === 'court-list' ? { on: values.on ?? population.referenceDate, expiringWithinDays: 28, first: Number(values.first) }
  : { pnc: values.pnc ?? population.people[example].pnc };
const pair = await loadOrCreateDevKeyPair('issuer');
const token = await issueToken(await importKey(pair.privateJwk), pair.kid, {
  subject: 'dev-example', agency: values.agency ?? chosen.agency, roles: [values.role ?? chosen.role], staffCode,
  issuer: settings.AUTH_ISSUER, audience: settings.AUTH_AUDIENCE,
});
const res = await fetch(values.url!, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': values.purpose ?? chosen.purpose, 'x-justification': 'npm run example' },
  body: JSON.stringify({ query, variables }),
}).catch(() => {
  console.error(`no gateway answers at ${values.url}: start one with npm start (or pass --url)`);
  process.exit(1);
});
console.log(JSON.stringify(await res.json(), null, 2));

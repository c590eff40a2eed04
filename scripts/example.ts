// npm run example [-- --pnc <PNC>] [--url <gateway>] [--agency POLICE --role POLICE_OFFICER --purpose INVESTIGATION]
// Sends the README's example query to a running gateway with a development token and prints the answer.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importKey, loadOrCreateDevKeyPair } from '../auth/keys.js';
import { issueToken } from '../auth/tokens.js';
import { generatePopulation } from '../legacy/population.js';
import { orExit, pickSettings } from '../platform/config.js';

const settings = orExit(() => pickSettings(process.env, ['GATEWAY_PORT', 'POPULATION_SEED', 'AUTH_ISSUER', 'AUTH_AUDIENCE']));

const { values } = parseArgs({
  options: {
    pnc: { type: 'string' },
    url: { type: 'string', default: `http://127.0.0.1:${settings.GATEWAY_PORT}/graphql` },
    agency: { type: 'string', default: 'POLICE' },
    role: { type: 'string', default: 'POLICE_OFFICER' },
    purpose: { type: 'string', default: 'INVESTIGATION' },
  },
});
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const query = /<!-- example-query -->\s*```graphql\n([\s\S]*?)```/.exec(readme)?.[1];
if (!query) throw new Error('README.md has lost its example query block');
// The default population's example person, the same one `npm start` prints.
const pnc = values.pnc ?? generatePopulation({ size: 2, seed: settings.POPULATION_SEED }).people[0].pnc;
const pair = await loadOrCreateDevKeyPair('issuer');
const token = await issueToken(await importKey(pair.privateJwk), pair.kid, {
  subject: 'dev-example', agency: values.agency!, roles: [values.role!], issuer: settings.AUTH_ISSUER, audience: settings.AUTH_AUDIENCE,
});
const res = await fetch(values.url!, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': values.purpose!, 'x-justification': 'npm run example' },
  body: JSON.stringify({ query, variables: { pnc } }),
}).catch(() => {
  console.error(`no gateway answers at ${values.url}: start one with npm start (or pass --url)`);
  process.exit(1);
});
console.log(JSON.stringify(await res.json(), null, 2));

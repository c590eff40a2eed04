// npm start: the whole stack on embedded defaults — stand-in legacy systems, subgraphs and gateway —
// in one process. Prints where everything is and how to get a token; Ctrl-C shuts it down cleanly.
// A legacy system the environment already locates (e.g. PRISONS_URL, printed by `npm run stand-ins`)
// is used as it is: its stand-in is not started.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { loadSettings, orExit } from '../platform/config.js';
import { onShutdown } from '../platform/shutdown.js';
import { startStack } from '../platform/stack.js';
import { startTracing } from '../platform/telemetry.js';

// Tracing is off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT).
startTracing({ serviceName: process.env.OTEL_SERVICE_NAME ?? 'justice-graph', otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT });

const started = Date.now();
// Every setting the stack reads (timeouts, breakers, limits, ...) is parsed here first: a bad value stops npm start, naming it.
const settings = orExit(() => loadSettings(process.env));
const port = settings.GATEWAY_PORT;
const size = settings.POPULATION_SIZE;
const seed = settings.POPULATION_SEED;

async function boot(gatewayPort: number) {
  return startStack({
    population: { size, seed }, gatewayPort, gatewayHost: settings.GATEWAY_HOST, keys: 'dev', useConfiguredSystems: true,
    standInDatabaseUrls: settings.standInDatabaseUrls, logLevel: process.env.LOG_LEVEL ? settings.LOG_LEVEL : 'warn',
  });
}

let stack;
try {
  stack = await boot(port);
} catch (err) {
  if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
  console.warn(`port ${port} is in use; starting the gateway on a free port instead (set GATEWAY_PORT to choose one)`);
  stack = await boot(0);
}

const everywhere = stack.population.people[stack.population.examples.everywhere];
console.log(`
justice-graph is up in ${((Date.now() - started) / 1000).toFixed(1)} s (population ${size}, seed ${seed})

  gateway     ${stack.gatewayUrl}
${process.env.NODE_ENV === 'production' ? '' : `  explorer    ${stack.gatewayUrl.replace(/\/graphql$/, '/explorer')}   (open it in a browser: pick a role and purpose, run the README query)\n`}${[...stack.subgraphs].map(([n, s]) => `  ${n.padEnd(11)} ${s.url}`).join('\n')}

stand-in legacy systems:
${[...stack.standIns].map(([n, s]) => `  ${n.padEnd(11)} ${s.location}`).join('\n')}
${[...stack.configured].map(([n, setting]) => `  ${n.padEnd(11)} as configured by ${setting}`).join('\n')}

get a token:   npm run token -- --role POLICE_OFFICER --agency POLICE
example PNC:   ${everywhere.pnc}   (held by every agency that holds people)
then:          see README.md, "Your first query"

Ctrl-C to stop.`);

// Ctrl-C / SIGTERM: stop accepting, let requests in flight finish (SHUTDOWN_DRAIN_MS), flush the audit trail, exit.
onShutdown({
  drainMs: settings.SHUTDOWN_DRAIN_MS,
  servers: [stack.gateway],
  closeRest: () => stack.close(),
  beforeDrain: () => stack.gateway.beginDrain(),
  log: (m) => console.log(m),
});


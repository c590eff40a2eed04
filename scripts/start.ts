// npm start: the whole stack on embedded defaults — stand-in legacy systems, subgraphs and gateway —
// in one process. Prints where everything is and how to get a token; Ctrl-C shuts it down cleanly.
// A legacy system the environment already locates (e.g. PRISONS_URL, printed by `npm run stand-ins`)
// is used as it is: its stand-in is not started.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { startStack } from '../platform/stack.js';
import { startTracing } from '../platform/telemetry.js';

// Tracing is off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT).
startTracing({ serviceName: process.env.OTEL_SERVICE_NAME ?? 'justice-graph', otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT });

const started = Date.now();
const port = Number(process.env.GATEWAY_PORT ?? 4000);
const size = Number(process.env.POPULATION_SIZE ?? 2000);
const seed = Number(process.env.POPULATION_SEED ?? 20261101);

async function boot(gatewayPort: number) {
  return startStack({ population: { size, seed }, gatewayPort, keys: 'dev', useConfiguredSystems: true, policeDatabaseUrl: process.env.POLICE_STANDIN_DATABASE_URL, logLevel: process.env.LOG_LEVEL ?? 'warn' });
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
${[...stack.subgraphs].map(([n, s]) => `  ${n.padEnd(11)} ${s.url}`).join('\n')}

stand-in legacy systems:
${[...stack.standIns].map(([n, s]) => `  ${n.padEnd(11)} ${s.location}`).join('\n')}
${[...stack.configured].map(([n, setting]) => `  ${n.padEnd(11)} as configured by ${setting}`).join('\n')}

get a token:   npm run token -- --role POLICE_OFFICER --agency POLICE
example PNC:   ${everywhere.pnc}   (in all five systems)
then:          see README.md, "Your first query"

Ctrl-C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping...');
    await stack.close();
    console.log('stopped');
    process.exit(0);
  });
}

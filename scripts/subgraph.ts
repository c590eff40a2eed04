// npm run subgraph -- <name>: runs one subgraph alone. It talks to its agency's system as configured
// by the environment (see README); with STANDINS=on (the default outside production) it starts that
// agency's stand-in legacy system first. It trusts only assertions signed with the gateway key.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { importKey, jwkFromEnv, loadOrCreateDevKeyPair } from '../auth/keys.js';
import { generatePopulation } from '../legacy/population.js';
import { startSubgraph } from '../subgraphs/harness.js';
import { loadSettings, orExit } from '../platform/config.js';
import { createLogger } from '../platform/log.js';
import { onShutdown } from '../platform/shutdown.js';
import { loadSubgraphs, SUBGRAPH_NAMES } from '../subgraphs/index.js';
import { serviceVerifyKeys } from '../subgraphs/internal.js';
import type { Env } from '../subgraphs/types.js';
import { startTracing } from '../platform/telemetry.js';

// Tracing is off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT).
startTracing({ serviceName: process.env.OTEL_SERVICE_NAME ?? `justice-graph-${process.argv[2] ?? 'subgraph'}`, otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT });

const name = process.argv[2];
if (!name || !(SUBGRAPH_NAMES as readonly string[]).includes(name)) {
  console.error(`usage: npm run subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  process.exit(2);
}
const env: Env = { ...process.env };
// Every setting parsed first; a wrong one stops the subgraph here, naming it.
const settings = orExit(() => loadSettings(env));
const production = settings.production;
const standIns = (settings.STANDINS ?? (production ? 'off' : 'on')) === 'on';
const population = standIns ? generatePopulation({ size: settings.POPULATION_SIZE, seed: settings.POPULATION_SEED }) : null;
const closers: (() => Promise<void>)[] = [];

const [module] = await loadSubgraphs([name]);
if (population) {
  // Only an agency's own subgraph speaks to its system; identity and audit ask subgraphs by URL (<SLUG>_SUBGRAPH_URL).
  for (const m of [module].filter((x) => x.standIn)) {
    const s = await (await m.standIn!())({ population });
    Object.assign(env, s.env);
    closers.push(() => s.close());
    console.log(`stand-in ${m.name}: ${s.location}`);
  }
}
const client = await module.createClient(env);
const publicJwk = settings.GATEWAY_ASSERTION_PUBLIC_KEY ? jwkFromEnv('GATEWAY_ASSERTION_PUBLIC_KEY', settings.GATEWAY_ASSERTION_PUBLIC_KEY) : production ? null : (await loadOrCreateDevKeyPair('gateway')).publicJwk;
if (!publicJwk) {
  console.error('GATEWAY_ASSERTION_PUBLIC_KEY is required in production');
  process.exit(2);
}
const running = await startSubgraph(module, {
  client, assertionKey: await importKey(publicJwk), serviceKeys: await serviceVerifyKeys(env), host: settings.SUBGRAPH_HOST, port: settings.SUBGRAPH_PORT,
  maxRepresentations: settings.SUBGRAPH_MAX_REPRESENTATIONS, log: createLogger(`subgraph:${name}`, settings.LOG_LEVEL),
});
console.log(`subgraph ${name}: ${running.url}`);
// SIGTERM/SIGINT: stop accepting, let the gateway's calls in flight finish (SHUTDOWN_DRAIN_MS), then close the client and stand-in.
onShutdown({
  drainMs: settings.SHUTDOWN_DRAIN_MS,
  servers: [running],
  closeRest: async () => {
    await running.close();
    await module.close?.(client);
    for (const c of closers) await c();
  },
  log: (m) => console.log(m),
});

// npm run subgraph -- <name>: runs one subgraph alone. It talks to its agency's system as configured
// by the environment (see README); with STANDINS=on (the default outside production) it starts that
// agency's stand-in legacy system first. It trusts only assertions signed with the gateway key.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { importKey, jwkFromEnv, loadOrCreateDevKeyPair } from '../auth/keys.js';
import { generatePopulation } from '../legacy/population.js';
import { startSubgraph } from '../subgraphs/harness.js';
import { loadEdgeConfig } from '../gateway/config.js';
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
const production = env.NODE_ENV === 'production';
const standIns = (env.STANDINS ?? (production ? 'off' : 'on')) === 'on';
const population = standIns ? generatePopulation({ size: Number(env.POPULATION_SIZE ?? 2000), seed: Number(env.POPULATION_SEED ?? 20261101) }) : null;
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
const publicJwk = env.GATEWAY_ASSERTION_PUBLIC_KEY ? jwkFromEnv('GATEWAY_ASSERTION_PUBLIC_KEY', env.GATEWAY_ASSERTION_PUBLIC_KEY) : production ? null : (await loadOrCreateDevKeyPair('gateway')).publicJwk;
if (!publicJwk) {
  console.error('GATEWAY_ASSERTION_PUBLIC_KEY is required in production');
  process.exit(2);
}
const running = await startSubgraph(module, {
  client, assertionKey: await importKey(publicJwk), serviceKeys: await serviceVerifyKeys(env), host: env.SUBGRAPH_HOST ?? '127.0.0.1', port: Number(env.SUBGRAPH_PORT ?? 0),
  maxRepresentations: loadEdgeConfig(env).maxRepresentations,
});
console.log(`subgraph ${name}: ${running.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await running.close();
    await module.close?.(client);
    for (const c of closers) await c();
    process.exit(0);
  });
}

// npm run gateway: the gateway alone, in front of subgraphs that run elsewhere. Every subgraph needs
// <NAME>_SUBGRAPH_URL (e.g. POLICE_SUBGRAPH_URL=https://police-graph.example/graphql).
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { importKey, jwkFromEnv, loadOrCreateDevKeyPair } from '../auth/keys.js';
import { createTokenVerifier } from '../auth/tokens.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { startGateway } from '../gateway/gateway.js';
import { createRelationshipResolver } from '../gateway/relationships.js';
import { loadAuditConfig, openAuditTrail } from '../audit/index.js';
import { loadSubgraphs, SUBGRAPH_NAMES } from '../subgraphs/index.js';
import { startTracing } from '../platform/telemetry.js';

// Tracing is off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT).
startTracing({ serviceName: process.env.OTEL_SERVICE_NAME ?? 'justice-graph-gateway', otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT });

let config;
try {
  config = loadGatewayConfig(process.env, SUBGRAPH_NAMES);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const missing = SUBGRAPH_NAMES.filter((n) => !config.subgraphUrls[n]);
if (missing.length) {
  console.error(`set ${missing.map((n) => `${n.toUpperCase()}_SUBGRAPH_URL`).join(', ')} (or use npm start for the embedded stack)`);
  process.exit(2);
}
const assertion = config.assertionPrivateKey
  ? jwkFromEnv('GATEWAY_ASSERTION_KEY', config.assertionPrivateKey)
  : (await loadOrCreateDevKeyPair('gateway')).privateJwk;
const issuer = config.auth.jwksUrl ? null : await loadOrCreateDevKeyPair('issuer');
const audit = await openAuditTrail(await loadAuditConfig(process.env));
const modules = await loadSubgraphs();
const assertionKey = { key: await importKey(assertion), kid: String(assertion.kid ?? 'gateway') };
// Record-level rules need the callers' caseloads and victims: asked of the agencies' subgraphs, signed
// as the gateway. The gateway holds no legacy credentials at all.
const relationships = createRelationshipResolver(modules, { urls: config.subgraphUrls, signer: { service: 'gateway', ...assertionKey } });
const gateway = await startGateway({
  audit,
  relationships,
  modules,
  urls: config.subgraphUrls,
  verifyToken: createTokenVerifier({ ...config.auth, jwksUrl: config.auth.jwksUrl ?? undefined, publicKeys: issuer ? [issuer.publicJwk] : [], ...config.edge.tokens }),
  assertionKey,
  host: config.host,
  port: config.port,
  timeoutMs: config.subgraphTimeoutMs,
  requestDeadlineMs: config.requestDeadlineMs,
  breaker: config.breaker,
  production: config.production,
  limits: config.edge.limits,
  rateLimits: config.edge.rateLimits,
  trustedDocuments: config.edge.trustedDocuments,
  maxRepresentations: config.edge.maxRepresentations,
});
console.log(`gateway: ${gateway.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, async () => { await gateway.close(); await audit.close(); process.exit(0); });

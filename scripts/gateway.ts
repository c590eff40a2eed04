// npm run gateway: the gateway alone, in front of subgraphs that run elsewhere. Every subgraph needs
// <NAME>_SUBGRAPH_URL (e.g. POLICE_SUBGRAPH_URL=https://police-graph.example/graphql).
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { importKey, jwkFromEnv, loadOrCreateDevKeyPair } from '../auth/keys.js';
import { createTokenVerifier, issueToken } from '../auth/tokens.js';
import { parseCorsOrigins } from '../gateway/cors.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { startGateway } from '../gateway/gateway.js';
import { createRelationshipResolver } from '../gateway/relationships.js';
import { loadAuditConfig, openAuditTrail } from '../audit/index.js';
import { loadSubgraphs, SUBGRAPH_NAMES } from '../subgraphs/index.js';
import { orExit, orExitAsync } from '../platform/config.js';
import { onShutdown } from '../platform/shutdown.js';
import { createLogger } from '../platform/log.js';
import { startTracing } from '../platform/telemetry.js';

// Tracing is off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT).
startTracing({ serviceName: process.env.OTEL_SERVICE_NAME ?? 'justice-graph-gateway', otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT });

// Every setting parsed first; a wrong or missing one stops the gateway here, naming it.
const config = orExit(() => loadGatewayConfig(process.env, SUBGRAPH_NAMES));
const auditConfig = await orExitAsync(() => loadAuditConfig(process.env));
const corsOrigins = orExit(() => parseCorsOrigins(process.env));
const missing = SUBGRAPH_NAMES.filter((n) => !config.subgraphUrls[n]);
if (missing.length) {
  console.error(`set ${missing.map((n) => `${n.toUpperCase()}_SUBGRAPH_URL`).join(', ')} (or use npm start for the embedded stack)`);
  process.exit(2);
}
const assertion = config.assertionPrivateKey
  ? jwkFromEnv('GATEWAY_ASSERTION_KEY', config.assertionPrivateKey)
  : (await loadOrCreateDevKeyPair('gateway')).privateJwk;
const issuer = config.auth.jwksUrl ? null : await loadOrCreateDevKeyPair('issuer');
const audit = await openAuditTrail(auditConfig);
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
  readyTimeoutMs: config.readyTimeoutMs,
  log: createLogger('gateway', config.logLevel),
  production: config.production,
  limits: config.edge.limits,
  rateLimits: config.edge.rateLimits,
  trustedDocuments: config.edge.trustedDocuments,
  maxRepresentations: config.edge.maxRepresentations,
  corsOrigins,
  // With the local development issuer only (no identity provider): the explorer mints its tokens with it.
  explorer: issuer && !config.production ? {
    mintToken: async (r) => issueToken(await importKey(issuer.privateJwk), issuer.kid, { ...r, issuer: config.auth.issuer, audience: config.auth.audience }),
  } : undefined,
});
console.log(`gateway: ${gateway.url}`);
// SIGTERM/SIGINT: stop accepting, let requests in flight finish (SHUTDOWN_DRAIN_MS), then flush the audit trail and exit.
onShutdown({
  drainMs: config.drainMs,
  servers: [gateway],
  beforeDrain: () => gateway.beginDrain(),
  closeRest: async () => { await gateway.close(); await audit.close(); },
  log: (m) => console.log(m),
});

// The gateway: @apollo/gateway inside @apollo/server 5, composed from the registry's SDL, calling each
// subgraph through AgencyDataSource. It stores nothing: no agency data is cached or persisted here.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1'; // no telemetry, no cloud-metadata probes: no outbound call we were not told to make

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import type { CryptoKey } from 'jose';
import type { TokenVerifier } from '../auth/tokens.js';
import { serveApollo, type Served } from '../platform/http.js';
import { createLogger, type Logger } from '../platform/log.js';
import type { SubgraphModule } from '../subgraphs/types.js';
import { composeSupergraph } from './compose.js';
import { edgeContext, identify, refusalDetailsOf, type GatewayContext } from './context.js';
import { AgencyDataSource, SubgraphResilience } from './datasource.js';
import { readiness, type ReadinessReport } from './health.js';
import { formatGatewayError, redactionSummaryPlugin } from './errors.js';
import type { RelationshipResolver } from './relationships.js';
import { auditPlugin, auditRecord, auditUnavailable, requestIdPlugin, requestMetricsPlugin, subjectOwnersOf, type AuditSink } from './audit.js';
import { metrics, refusedRequests, registerBreaker } from '../platform/telemetry.js';
import { handlingPlugin } from './handling.js';
import { policyVersion } from '../schema/policy/index.js';
import type { GraphQLSchema } from 'graphql';
import { DEFAULT_LIMITS, type QueryLimits } from './limits.js';
import { DEFAULT_RATE_LIMITS, RateLimitGuard, type RateLimitConfig } from './rate-limit.js';
import { TrustedDocuments, type TrustedDocumentsMode } from './trusted-documents.js';
import { RequestRefused } from '../platform/http.js';
import { corsOrigins, createCors } from './cors.js';
import { createExplorer, type ExplorerOptions } from './explorer.js';

export interface GatewayOptions {
  modules: Pick<SubgraphModule, 'name' | 'typeDefs' | 'subjects'>[];
  /** Where each subgraph answers, by name. */
  urls: Record<string, string>;
  verifyToken: TokenVerifier;
  /** Where the audit record of every request goes; required unless explicitly turned off (tests of the gateway alone). */
  audit: AuditSink | null;
  /** Establishes callers' caseloads and victims for record-level rules; without it those rules withhold. */
  relationships?: RelationshipResolver;
  assertionKey: { key: CryptoKey; kid: string };
  timeoutMs?: number;
  /** One deadline for the whole client request (ms); every subgraph call and per-agency timeout sits inside it. */
  requestDeadlineMs?: number;
  breaker?: { failures: number; cooldownMs: number };
  /** How long /ready waits for each subgraph's /health and for the audit store (GATEWAY_READY_TIMEOUT_MS). */
  readyTimeoutMs?: number;
  host?: string;
  port?: number;
  log?: Logger;
  /** Production posture (no introspection, no schema hints in errors); defaults to NODE_ENV=production. */
  production?: boolean;
  /** Query limits; anything left out takes its default (gateway/limits.ts). */
  limits?: Partial<QueryLimits>;
  /** Rate limits and the enumeration guard (gateway/rate-limit.ts); in memory unless redisUrl is set. */
  rateLimits?: Partial<RateLimitConfig>;
  /** Trusted documents: the manifest path and mode (default: no manifest, mode off). */
  trustedDocuments?: { path: string | null; mode: TrustedDocumentsMode };
  /** The subgraphs' cap on `_entities` representations per call: the gateway merges fetches up to it. */
  maxRepresentations?: number;
  /** Origins browser clients may call from (GATEWAY_CORS_ORIGINS); default: local dev origins in development, none in production. */
  corsOrigins?: string[];
  /** The development explorer and its token route (gateway/explorer.ts); never created in production. */
  explorer?: ExplorerOptions;
}

export interface RunningGateway extends Served {
  /** Each subgraph's breaker, timeout and retry. */
  breakers: Map<string, SubgraphResilience>;
  /** What /ready would answer now. */
  ready(): Promise<ReadinessReport>;
  /** Shutdown has begun: /ready answers 503 so balancers stop sending; requests in flight still finish. */
  beginDrain(): void;
  limits: QueryLimits;
  rateLimits: RateLimitGuard;
}

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const log = opts.log ?? createLogger('gateway');
  const missing = opts.modules.filter((m) => !opts.urls[m.name]).map((m) => m.name);
  if (missing.length) throw new Error(`no URL for subgraph(s) ${missing.join(', ')}`);
  const supergraphSdl = composeSupergraph(opts.modules);
  const breakers = new Map(opts.modules.map((m) => [m.name, new SubgraphResilience(opts.timeoutMs ?? 5000, opts.breaker?.failures ?? 5, opts.breaker?.cooldownMs ?? 10_000)]));
  const BREAKER_GAUGE = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 } as const;
  const unregister = [...breakers].map(([name, b]) => registerBreaker('gateway', name, () => BREAKER_GAUGE[b.state]));
  const gateway = new ApolloGateway({
    supergraphSdl,
    // The supergraph carries placeholder URLs; each name is mapped to its configured URL here.
    buildService: ({ name }) => new AgencyDataSource({ name, url: opts.urls[name], resilience: breakers.get(name)!, log, maxRepresentations: opts.maxRepresentations }),
    logger: log as never,
  });
  const production = opts.production ?? process.env.NODE_ENV === 'production';
  const limits: QueryLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const trusted = TrustedDocuments.load(opts.trustedDocuments?.path ?? null, opts.trustedDocuments?.mode ?? 'off');
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: s }) => { apiSchema = s; });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    // Production answers no schema questions: no introspection, no "Did you mean" hints in validation errors.
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    // Automatic persisted queries would let any caller register any document by hash; trusted documents replace them.
    persistedQueries: false,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError: formatGatewayError(log),
    // Apollo's CSRF prevention (on by default; stated so nobody turns it off): CORS below lets listed
    // origins read answers, this refuses the "simple" requests a browser would send without a preflight.
    csrfPrevention: true,
    plugins: [requestMetricsPlugin, redactionSummaryPlugin, requestIdPlugin, ...(opts.audit ? [auditPlugin(opts.audit, policyVersion(), log, subjectOwnersOf(opts.modules))] : []), handlingPlugin, ApolloServerPluginLandingPageDisabled()],
    // Our scripts own shutdown; Apollo's own signal handler would race them and leave stop() hanging.
    stopOnTerminationSignals: false,
  });
  await server.start();
  let draining = false;
  const ready = readiness({ urls: opts.urls, breakers, audit: opts.audit, timeoutMs: opts.readyTimeoutMs ?? 2000, draining: () => draining });
  const rateLimits = await RateLimitGuard.create({ ...DEFAULT_RATE_LIMITS, ...opts.rateLimits }, log);
  const cors = createCors(corsOrigins(opts.corsOrigins, production));
  const explorer = !production && opts.explorer ? createExplorer(opts.explorer) : null;
  const served = await serveApollo(server, {
    host: opts.host,
    port: opts.port,
    maxBodyBytes: limits.maxBodyBytes,
    maxJsonDepth: limits.maxJsonDepth,
    // CORS before authentication (a preflight carries no token), then the development explorer's routes.
    front: async (req, res) => cors.handle(req, res, '/graphql') || (explorer ? explorer.handle(req, res) : false),
    context: edgeContext({
      verify: opts.verifyToken, signer: opts.assertionKey, relationships: opts.relationships, deadlineMs: opts.requestDeadlineMs, limits, trustedDocuments: trusted, rateLimits,
      schema: () => { if (!apiSchema) throw new Error('gateway schema not loaded'); return apiSchema; },
    }),
    // Every refusal of an identified caller is audited: over a limit, over a rate, a purpose not permitted.
    onRefused: async (err, req) => {
      let details = refusalDetailsOf(err);
      if (!details && err instanceof RequestRefused) {
        // Refused while reading the body: attribute it if the token says who sent it.
        const who = await identify(req, opts.verifyToken).catch(() => null);
        if (who) details = { caller: who.claims, clientRequestId: who.clientRequestId, request: {} };
      }
      const ext = (err as { extensions?: { code?: unknown; limit?: unknown } }).extensions;
      const code = err instanceof RequestRefused ? err.code : String(ext?.code ?? 'REFUSED');
      const limit = err instanceof RequestRefused ? err.limit : typeof ext?.limit === 'string' ? ext.limit : null;
      refusedRequests.inc({ code, limit: limit ?? 'none' });
      if (limit) log.info({ event: 'gateway.refused', code, limit, subject: details?.caller.subject, agency: details?.caller.agency, requestId: details?.caller.requestId }, 'request refused at the edge');
      if (!details || !opts.audit) return;
      try {
        await opts.audit.append(auditRecord(details.caller, details.request, [], 'DENIED', policyVersion(), { clientRequestId: details.clientRequestId, ...(limit ? { refusal: { code, limit } } : {}) }));
      } catch {
        throw { message: auditUnavailable.message, extensions: auditUnavailable.extensions };
      }
      // The refusal names its audit record too (X-Request-Id), as an answer does.
      const http = (err as { extensions?: { http?: { headers?: Record<string, string> } } }).extensions?.http;
      if (http) http.headers = { ...http.headers, 'x-request-id': details.caller.requestId };
    },
    routes: {
      // Prometheus text format: counts and latencies by operation, agency and outcome; never a person or a value.
      '/metrics': async () => ({ status: 200, body: await metrics.metrics(), contentType: metrics.contentType }),
      // Liveness: the process serves. Says nothing about agencies (that is /ready's job), so a restart is never triggered by an outage elsewhere.
      '/health': async () => ({ status: 200, body: { status: 'UP' } }),
      // Readiness: can this instance answer truthfully now? Per subgraph, no hosts or paths.
      '/ready': async () => {
        const report = await ready();
        return { status: report.status === 'READY' ? 200 : 503, body: report };
      },
    },
  });
  return {
    ...served,
    breakers,
    limits,
    rateLimits,
    ready,
    beginDrain: () => { draining = true; },
    close: async () => { unregister.forEach((u) => u()); await served.close(); await server.stop(); await rateLimits.close(); },
  };
}

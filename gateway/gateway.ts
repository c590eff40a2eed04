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
import { AgencyDataSource, CircuitBreaker } from './datasource.js';
import { formatGatewayError, redactionSummaryPlugin } from './errors.js';
import type { RelationshipResolver } from './relationships.js';
import { auditPlugin, auditRecord, auditUnavailable, requestMetricsPlugin, type AuditSink } from './audit.js';
import { metrics, refusedRequests, registerBreaker } from '../platform/telemetry.js';
import { policyVersion } from '../schema/policy/index.js';
import type { GraphQLSchema } from 'graphql';
import { DEFAULT_LIMITS, type QueryLimits } from './limits.js';
import { DEFAULT_RATE_LIMITS, RateLimitGuard, type RateLimitConfig } from './rate-limit.js';
import { TrustedDocuments, type TrustedDocumentsMode } from './trusted-documents.js';
import { RequestRefused } from '../platform/http.js';

export interface GatewayOptions {
  modules: Pick<SubgraphModule, 'name' | 'typeDefs'>[];
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
}

export interface RunningGateway extends Served {
  breakers: Map<string, CircuitBreaker>;
  limits: QueryLimits;
  rateLimits: RateLimitGuard;
}

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const log = opts.log ?? createLogger('gateway');
  const missing = opts.modules.filter((m) => !opts.urls[m.name]).map((m) => m.name);
  if (missing.length) throw new Error(`no URL for subgraph(s) ${missing.join(', ')}`);
  const supergraphSdl = composeSupergraph(opts.modules);
  const breakers = new Map(opts.modules.map((m) => [m.name, new CircuitBreaker(opts.breaker?.failures ?? 5, opts.breaker?.cooldownMs ?? 10_000)]));
  const unregister = [...breakers].map(([name, b]) => registerBreaker('gateway', name, () => (b.open ? 2 : 0)));
  const gateway = new ApolloGateway({
    supergraphSdl,
    // The supergraph carries placeholder URLs; each name is mapped to its configured URL here.
    buildService: ({ name }) => new AgencyDataSource({ name, url: opts.urls[name], timeoutMs: opts.timeoutMs ?? 5000, breaker: breakers.get(name)!, log, maxRepresentations: opts.maxRepresentations }),
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
    plugins: [requestMetricsPlugin, redactionSummaryPlugin, ...(opts.audit ? [auditPlugin(opts.audit, policyVersion(), log)] : []), ApolloServerPluginLandingPageDisabled()],
    // Our scripts own shutdown; Apollo's own signal handler would race them and leave stop() hanging.
    stopOnTerminationSignals: false,
  });
  await server.start();
  const rateLimits = await RateLimitGuard.create({ ...DEFAULT_RATE_LIMITS, ...opts.rateLimits }, log);
  const served = await serveApollo(server, {
    host: opts.host,
    port: opts.port,
    maxBodyBytes: limits.maxBodyBytes,
    maxJsonDepth: limits.maxJsonDepth,
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
    },
    routes: {
      // Prometheus text format: counts and latencies by operation, agency and outcome; never a person or a value.
      '/metrics': async () => ({ status: 200, body: await metrics.metrics(), contentType: metrics.contentType }),
      '/health': async () => {
        const subgraphs = Object.fromEntries([...breakers].map(([n, b]) => [n, b.open ? 'OPEN_CIRCUIT' : 'CLOSED_CIRCUIT']));
        return { status: 200, body: { status: 'UP', subgraphs } };
      },
    },
  });
  return {
    ...served,
    breakers,
    limits,
    rateLimits,
    close: async () => { unregister.forEach((u) => u()); await served.close(); await server.stop(); await rateLimits.close(); },
  };
}

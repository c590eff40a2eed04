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
import { authenticate, type GatewayContext } from './context.js';
import { AgencyDataSource, CircuitBreaker } from './datasource.js';
import { formatGatewayError, redactionSummaryPlugin } from './errors.js';
import type { RelationshipResolver } from './relationships.js';
import { auditPlugin, auditRecord, auditUnavailable, type AuditSink } from './audit.js';
import { policyVersion } from '../schema/policy/index.js';
import type { CallerClaims } from '../auth/assertion.js';

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
  breaker?: { failures: number; cooldownMs: number };
  host?: string;
  port?: number;
  log?: Logger;
}

export interface RunningGateway extends Served {
  breakers: Map<string, CircuitBreaker>;
}

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const log = opts.log ?? createLogger('gateway');
  const missing = opts.modules.filter((m) => !opts.urls[m.name]).map((m) => m.name);
  if (missing.length) throw new Error(`no URL for subgraph(s) ${missing.join(', ')}`);
  const supergraphSdl = composeSupergraph(opts.modules);
  const breakers = new Map(opts.modules.map((m) => [m.name, new CircuitBreaker(opts.breaker?.failures ?? 5, opts.breaker?.cooldownMs ?? 10_000)]));
  const gateway = new ApolloGateway({
    supergraphSdl,
    // The supergraph carries placeholder URLs; each name is mapped to its configured URL here.
    buildService: ({ name }) => new AgencyDataSource({ name, url: opts.urls[name], timeoutMs: opts.timeoutMs ?? 5000, breaker: breakers.get(name)!, log }),
    logger: log as never,
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatGatewayError(log),
    plugins: [redactionSummaryPlugin, ...(opts.audit ? [auditPlugin(opts.audit, policyVersion(), log)] : []), ApolloServerPluginLandingPageDisabled()],
    // Our scripts own shutdown; Apollo's own signal handler would race them and leave stop() hanging.
    stopOnTerminationSignals: false,
  });
  await server.start();
  const served = await serveApollo(server, {
    host: opts.host,
    port: opts.port,
    context: (req) => authenticate(req, opts.verifyToken, opts.assertionKey, opts.relationships),
    onRefused: async (err) => {
      const caller = (err as { refusedCaller?: CallerClaims }).refusedCaller;
      if (!caller || !opts.audit) return;
      try {
        await opts.audit.append(auditRecord(caller, {}, [], 'DENIED', policyVersion()));
      } catch {
        throw { message: auditUnavailable.message, extensions: auditUnavailable.extensions };
      }
    },
    routes: {
      '/health': async () => {
        const subgraphs = Object.fromEntries([...breakers].map(([n, b]) => [n, b.open ? 'OPEN_CIRCUIT' : 'CLOSED_CIRCUIT']));
        return { status: 200, body: { status: 'UP', subgraphs } };
      },
    },
  });
  return {
    ...served,
    breakers,
    close: async () => { await served.close(); await server.stop(); },
  };
}

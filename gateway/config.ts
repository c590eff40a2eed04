// Gateway configuration from the environment: safe embedded defaults for development, required values
// in production (NODE_ENV=production), and a clear message naming any variable that is wrong.
// The values come from the one typed schema of every setting (platform/config.ts); this module shapes
// them for the gateway.
import type { Env } from '../subgraphs/types.js';
import { ConfigError, loadSettings, missingInProduction, type Settings } from '../platform/config.js';
import type { QueryLimits } from './limits.js';
import type { RateLimitConfig } from './rate-limit.js';
import type { TrustedDocumentsMode } from './trusted-documents.js';

export interface GatewayConfig {
  host: string;
  port: number;
  production: boolean;
  /** Subgraph URLs by name; a name without one is served by the embedded stack. */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  /** One deadline for the whole client request, propagated to every subgraph; subgraph timeouts sit inside it. */
  requestDeadlineMs: number;
  breaker: { failures: number; cooldownMs: number };
  /** How long /ready waits for each subgraph and the audit store. */
  readyTimeoutMs: number;
  /** On SIGTERM/SIGINT, how long requests in flight may take to finish. */
  drainMs: number;
  logLevel: string;
  auth: { issuer: string; audience: string; jwksUrl: string | null };
  /** The gateway's private JWK (JSON) for caller assertions; development generates one in .dev-keys. */
  assertionPrivateKey: string | null;
  edge: EdgeConfig;
}

/** What the edge enforces: query limits, rate limits, trusted documents, token rules, the subgraphs' entity cap. */
export interface EdgeConfig {
  limits: QueryLimits;
  rateLimits: RateLimitConfig;
  trustedDocuments: { path: string | null; mode: TrustedDocumentsMode };
  tokens: { maxLifetimeSeconds: number; clockSkewSeconds: number };
  maxRepresentations: number;
}

/** The edge settings, shared by the standalone gateway and the embedded stack (npm start, tests). */
export function loadEdgeConfig(env: Env, settings: Settings = loadSettings(env)): EdgeConfig {
  const s = settings;
  const limits: QueryLimits = {
    maxBodyBytes: s.GATEWAY_MAX_BODY_BYTES,
    maxJsonDepth: s.GATEWAY_MAX_JSON_DEPTH,
    maxTokens: s.GATEWAY_MAX_TOKENS,
    maxDepth: s.GATEWAY_MAX_DEPTH,
    maxAliases: s.GATEWAY_MAX_ALIASES,
    maxDirectives: s.GATEWAY_MAX_DIRECTIVES,
    maxListArgument: s.GATEWAY_MAX_LIST_ARGUMENT,
    maxStringArgument: s.GATEWAY_MAX_STRING_ARGUMENT,
    maxCost: s.GATEWAY_MAX_COST,
    assumedListSize: s.GATEWAY_ASSUMED_LIST_SIZE,
  };
  const user = s.GATEWAY_RATE_LIMIT_USER;
  const agency = s.GATEWAY_RATE_LIMIT_AGENCY;
  const distinct = s.GATEWAY_DISTINCT_SUBJECTS;
  const rateLimits: RateLimitConfig = {
    perUser: { requests: user.n, windowSeconds: user.s },
    perAgency: { requests: agency.n, windowSeconds: agency.s },
    distinctSubjects: { perUser: distinct.n, windowSeconds: distinct.s, byRole: s.GATEWAY_DISTINCT_SUBJECTS_BY_ROLE },
    redisUrl: s.GATEWAY_RATE_LIMIT_REDIS_URL,
    keyPrefix: s.GATEWAY_RATE_LIMIT_PREFIX,
  };
  const path = s.GATEWAY_TRUSTED_DOCUMENTS;
  const mode = s.GATEWAY_TRUSTED_DOCUMENTS_MODE ?? (path ? (s.production ? 'require' : 'allow') : 'off');
  if (mode !== 'off' && !path) throw new ConfigError([{ variable: 'GATEWAY_TRUSTED_DOCUMENTS_MODE', message: `=${mode} needs GATEWAY_TRUSTED_DOCUMENTS (the manifest path)` }]);
  return {
    limits,
    rateLimits,
    trustedDocuments: { path: mode === 'off' ? null : path, mode: mode as TrustedDocumentsMode },
    tokens: { maxLifetimeSeconds: s.AUTH_MAX_TOKEN_LIFETIME_SECONDS, clockSkewSeconds: s.AUTH_CLOCK_SKEW_SECONDS },
    maxRepresentations: s.SUBGRAPH_MAX_REPRESENTATIONS,
  };
}

export function loadGatewayConfig(env: Env, subgraphNames: readonly string[]): GatewayConfig {
  const s = loadSettings(env, subgraphNames);
  const config: GatewayConfig = {
    host: s.GATEWAY_HOST,
    port: s.GATEWAY_PORT,
    production: s.production,
    subgraphUrls: s.subgraphUrls,
    subgraphTimeoutMs: s.GATEWAY_SUBGRAPH_TIMEOUT_MS,
    requestDeadlineMs: s.GATEWAY_REQUEST_DEADLINE_MS,
    breaker: { failures: s.GATEWAY_BREAKER_FAILURES, cooldownMs: s.GATEWAY_BREAKER_COOLDOWN_MS },
    readyTimeoutMs: s.GATEWAY_READY_TIMEOUT_MS,
    drainMs: s.SHUTDOWN_DRAIN_MS,
    logLevel: s.LOG_LEVEL,
    auth: { issuer: s.AUTH_ISSUER, audience: s.AUTH_AUDIENCE, jwksUrl: s.AUTH_JWKS_URL },
    assertionPrivateKey: s.GATEWAY_ASSERTION_KEY,
    edge: loadEdgeConfig(env, s),
  };
  if (s.production) {
    // Counters kept per instance would multiply every limit by the number of gateways; dev keys would let anyone sign.
    const missing = missingInProduction(s, env, subgraphNames);
    if (missing.length) throw new ConfigError(missing.map((variable) => ({ variable, message: 'is required in production' })));
  }
  return config;
}

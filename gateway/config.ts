// Gateway configuration from the environment: safe embedded defaults for development, required values
// in production (NODE_ENV=production), and a clear message naming any variable that is wrong.
import type { Env } from '../subgraphs/types.js';
import { DEFAULT_CLOCK_SKEW_SECONDS, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from '../auth/tokens.js';
import { DEFAULT_MAX_REPRESENTATIONS } from '../subgraphs/harness.js';
import { DEFAULT_LIMITS, type QueryLimits } from './limits.js';
import { DEFAULT_RATE_LIMITS, type RateLimitConfig } from './rate-limit.js';
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

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

/** `N/S`: N per window of S seconds (e.g. `300/60`). */
function rate(env: Env, name: string, fallback: { n: number; s: number }): { n: number; s: number } {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const m = /^(\d{1,9})\/(\d{1,7})$/.exec(raw.trim());
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(`${name} must read N/S (N per S seconds, e.g. 300/60), got "${raw}"`);
  return { n: Number(m[1]), s: Number(m[2]) };
}

/** `ROLE=N,ROLE=N`. */
function perRole(env: Env, name: string): Record<string, number> {
  const raw = env[name]?.trim();
  if (!raw) return {};
  const out: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const m = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(\d{1,9})\s*$/.exec(part);
    if (!m) throw new Error(`${name} must read ROLE=N,ROLE=N (e.g. POLICE_OFFICER=100,ANALYST=500), got "${raw}"`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** The edge settings, shared by the standalone gateway and the embedded stack (npm start, tests). */
export function loadEdgeConfig(env: Env): EdgeConfig {
  const d = DEFAULT_LIMITS;
  const limits: QueryLimits = {
    maxBodyBytes: int(env, 'GATEWAY_MAX_BODY_BYTES', d.maxBodyBytes, 1024, 10_000_000),
    maxJsonDepth: int(env, 'GATEWAY_MAX_JSON_DEPTH', d.maxJsonDepth, 4, 256),
    maxTokens: int(env, 'GATEWAY_MAX_TOKENS', d.maxTokens, 50, 1_000_000),
    maxDepth: int(env, 'GATEWAY_MAX_DEPTH', d.maxDepth, 2, 100),
    maxAliases: int(env, 'GATEWAY_MAX_ALIASES', d.maxAliases, 0, 10_000),
    maxDirectives: int(env, 'GATEWAY_MAX_DIRECTIVES', d.maxDirectives, 0, 10_000),
    maxListArgument: int(env, 'GATEWAY_MAX_LIST_ARGUMENT', d.maxListArgument, 1, 100_000),
    maxStringArgument: int(env, 'GATEWAY_MAX_STRING_ARGUMENT', d.maxStringArgument, 16, 1_000_000),
    maxCost: int(env, 'GATEWAY_MAX_COST', d.maxCost, 1, 1_000_000_000),
    assumedListSize: int(env, 'GATEWAY_ASSUMED_LIST_SIZE', d.assumedListSize, 1, 1000),
  };
  const r = DEFAULT_RATE_LIMITS;
  const user = rate(env, 'GATEWAY_RATE_LIMIT_USER', { n: r.perUser.requests, s: r.perUser.windowSeconds });
  const agency = rate(env, 'GATEWAY_RATE_LIMIT_AGENCY', { n: r.perAgency.requests, s: r.perAgency.windowSeconds });
  const distinct = rate(env, 'GATEWAY_DISTINCT_SUBJECTS', { n: r.distinctSubjects.perUser, s: r.distinctSubjects.windowSeconds });
  const rateLimits: RateLimitConfig = {
    perUser: { requests: user.n, windowSeconds: user.s },
    perAgency: { requests: agency.n, windowSeconds: agency.s },
    distinctSubjects: { perUser: distinct.n, windowSeconds: distinct.s, byRole: perRole(env, 'GATEWAY_DISTINCT_SUBJECTS_BY_ROLE') },
    redisUrl: env.GATEWAY_RATE_LIMIT_REDIS_URL ? redisUrl('GATEWAY_RATE_LIMIT_REDIS_URL', env.GATEWAY_RATE_LIMIT_REDIS_URL) : null,
    keyPrefix: env.GATEWAY_RATE_LIMIT_PREFIX || r.keyPrefix,
  };
  const path = env.GATEWAY_TRUSTED_DOCUMENTS || null;
  const rawMode = env.GATEWAY_TRUSTED_DOCUMENTS_MODE || (path ? (env.NODE_ENV === 'production' ? 'require' : 'allow') : 'off');
  if (!['require', 'allow', 'off'].includes(rawMode)) throw new Error(`GATEWAY_TRUSTED_DOCUMENTS_MODE must be require, allow or off, got "${rawMode}"`);
  if (rawMode !== 'off' && !path) throw new Error(`GATEWAY_TRUSTED_DOCUMENTS_MODE=${rawMode} needs GATEWAY_TRUSTED_DOCUMENTS (the manifest path)`);
  return {
    limits,
    rateLimits,
    trustedDocuments: { path: rawMode === 'off' ? null : path, mode: rawMode as TrustedDocumentsMode },
    tokens: {
      maxLifetimeSeconds: int(env, 'AUTH_MAX_TOKEN_LIFETIME_SECONDS', DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, 60, 7 * 86400),
      clockSkewSeconds: int(env, 'AUTH_CLOCK_SKEW_SECONDS', DEFAULT_CLOCK_SKEW_SECONDS, 0, 600),
    },
    maxRepresentations: int(env, 'SUBGRAPH_MAX_REPRESENTATIONS', DEFAULT_MAX_REPRESENTATIONS, 1, 100_000),
  };
}

function redisUrl(name: string, raw: string): string {
  if (!/^rediss?:\/\/[^\s]+$/.test(raw)) throw new Error(`${name} must be a redis:// or rediss:// URL`);
  return raw;
}

function url(name: string, raw: string): string {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    return u.toString();
  } catch {
    throw new Error(`${name} must be an http(s) URL, got "${raw}"`);
  }
}

export function loadGatewayConfig(env: Env, subgraphNames: readonly string[]): GatewayConfig {
  const production = env.NODE_ENV === 'production';
  const subgraphUrls: Record<string, string> = {};
  for (const name of subgraphNames) {
    const key = `${name.toUpperCase().replace(/-/g, '_')}_SUBGRAPH_URL`;
    if (env[key]) subgraphUrls[name] = url(key, env[key]!);
  }
  const config: GatewayConfig = {
    host: env.GATEWAY_HOST ?? '127.0.0.1',
    port: int(env, 'GATEWAY_PORT', 4000, 0, 65535),
    production,
    subgraphUrls,
    subgraphTimeoutMs: int(env, 'GATEWAY_SUBGRAPH_TIMEOUT_MS', 5000, 50, 120_000),
    requestDeadlineMs: int(env, 'GATEWAY_REQUEST_DEADLINE_MS', 8000, 100, 120_000),
    breaker: { failures: int(env, 'GATEWAY_BREAKER_FAILURES', 5, 1, 1000), cooldownMs: int(env, 'GATEWAY_BREAKER_COOLDOWN_MS', 10_000, 100, 600_000) },
    auth: {
      issuer: env.AUTH_ISSUER ?? 'justice-graph-dev',
      audience: env.AUTH_AUDIENCE ?? 'justice-graph',
      jwksUrl: env.AUTH_JWKS_URL ? url('AUTH_JWKS_URL', env.AUTH_JWKS_URL) : null,
    },
    assertionPrivateKey: env.GATEWAY_ASSERTION_KEY ?? null,
    edge: loadEdgeConfig(env),
  };
  if (production) {
    const missing = [
      !config.auth.jwksUrl && 'AUTH_JWKS_URL',
      !env.AUTH_ISSUER && 'AUTH_ISSUER',
      !config.assertionPrivateKey && 'GATEWAY_ASSERTION_KEY',
      // Counters kept per instance would multiply every limit by the number of gateways.
      !config.edge.rateLimits.redisUrl && 'GATEWAY_RATE_LIMIT_REDIS_URL',
      ...subgraphNames.filter((n) => !subgraphUrls[n]).map((n) => `${n.toUpperCase()}_SUBGRAPH_URL`),
    ].filter(Boolean);
    if (missing.length) throw new Error(`production gateway needs ${missing.join(', ')} (see README, "Environment variables")`);
  }
  return config;
}

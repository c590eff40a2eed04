// Gateway configuration from the environment: safe embedded defaults for development, required values
// in production (NODE_ENV=production), and a clear message naming any variable that is wrong.
import type { Env } from '../subgraphs/types.js';

export interface GatewayConfig {
  host: string;
  port: number;
  production: boolean;
  /** Subgraph URLs by name; a name without one is served by the embedded stack. */
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  breaker: { failures: number; cooldownMs: number };
  auth: { issuer: string; audience: string; jwksUrl: string | null };
  /** The gateway's private JWK (JSON) for caller assertions; development generates one in .dev-keys. */
  assertionPrivateKey: string | null;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
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
    breaker: { failures: int(env, 'GATEWAY_BREAKER_FAILURES', 5, 1, 1000), cooldownMs: int(env, 'GATEWAY_BREAKER_COOLDOWN_MS', 10_000, 100, 600_000) },
    auth: {
      issuer: env.AUTH_ISSUER ?? 'justice-graph-dev',
      audience: env.AUTH_AUDIENCE ?? 'justice-graph',
      jwksUrl: env.AUTH_JWKS_URL ? url('AUTH_JWKS_URL', env.AUTH_JWKS_URL) : null,
    },
    assertionPrivateKey: env.GATEWAY_ASSERTION_KEY ?? null,
  };
  if (production) {
    const missing = [
      !config.auth.jwksUrl && 'AUTH_JWKS_URL',
      !env.AUTH_ISSUER && 'AUTH_ISSUER',
      !config.assertionPrivateKey && 'GATEWAY_ASSERTION_KEY',
      ...subgraphNames.filter((n) => !subgraphUrls[n]).map((n) => `${n.toUpperCase()}_SUBGRAPH_URL`),
    ].filter(Boolean);
    if (missing.length) throw new Error(`production gateway needs ${missing.join(', ')} (see README, "Environment variables")`);
  }
  return config;
}

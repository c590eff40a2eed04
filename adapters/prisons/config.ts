// Prisons adapter configuration from the environment. Safe defaults point at a local Prison API for the
// embedded demo; in production the URLs and client credentials are required and startup fails without them.
import type { Env } from '../../subgraphs/types.js';
import { resilienceSettings, type ResilienceSettings } from '../resilience.js';
import type { SettingRow } from '../../platform/config.js';

export interface PrisonsConfig {
  /** Prison API base URL (`PRISONS_URL`). */
  apiUrl: string;
  /** Prisoner Search API base URL (`PRISONS_SEARCH_URL`, defaults to `PRISONS_URL`). */
  searchUrl: string;
  /** Prisoner Alerts API base URL (`PRISONS_ALERTS_URL`, defaults to `PRISONS_URL`). */
  alertsUrl: string;
  /** The full OAuth2 token URL, derived from `PRISONS_AUTH_URL`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** Breaker, bulkhead, timeout and retries of this agency's system (`PRISONS_BREAKER_FAILURES`, ...; adapters/resilience.ts). */
  resilience?: ResilienceSettings;
}

const TOKEN_PATH = '/oauth/token';

/**
 * `PRISONS_AUTH_URL` is the HMPPS Auth base (`https://sign-in.example/auth`), as in the HMPPS templates;
 * a value that already ends in `/oauth/token` is taken as the token URL itself.
 */
export function tokenUrlFrom(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  return base.endsWith(TOKEN_PATH) ? base : base + TOKEN_PATH;
}

export function prisonsConfig(env: Env = process.env): PrisonsConfig {
  const production = env.NODE_ENV === 'production';
  const required = (name: string, fallback: string): string => {
    const value = env[name]?.trim();
    if (value) return value;
    if (production) throw new Error(`${name} must be set in production`);
    return fallback;
  };
  const apiUrl = required('PRISONS_URL', 'http://localhost:8080').replace(/\/+$/, '');
  const timeout = Number(env.PRISONS_TIMEOUT_MS ?? 3000);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new Error(`PRISONS_TIMEOUT_MS must be a positive whole number of ms, got "${env.PRISONS_TIMEOUT_MS}"`);
  return {
    apiUrl,
    searchUrl: (env.PRISONS_SEARCH_URL?.trim() || apiUrl).replace(/\/+$/, ''),
    alertsUrl: (env.PRISONS_ALERTS_URL?.trim() || apiUrl).replace(/\/+$/, ''),
    tokenUrl: tokenUrlFrom(required('PRISONS_AUTH_URL', 'http://localhost:9090/auth')),
    clientId: required('PRISONS_CLIENT_ID', 'justice-graph-prisons'),
    // No default secret: without one the token service refuses us and every call reports SOURCE_AUTH.
    clientSecret: required('PRISONS_CLIENT_SECRET', ''),
    timeoutMs: timeout,
    resilience: resilienceSettings(env, 'prisons'),
  };
}

/** This adapter's settings, for the README's table of environment variables (`npm run env:table -- --write`). */
export const SETTINGS_TABLE: SettingRow[] = [
  { name: 'PRISONS_URL, PRISONS_AUTH_URL, PRISONS_CLIENT_ID, PRISONS_CLIENT_SECRET', shown: '', usedBy: 'prisons adapter', meaning: 'Prison API and its OAuth2 client credentials' },
  { name: 'PRISONS_SEARCH_URL / PRISONS_ALERTS_URL', shown: '`PRISONS_URL`', usedBy: 'prisons adapter', meaning: "Prisoner Search and Prisoner Alerts API, when not on the Prison API's host" },
];

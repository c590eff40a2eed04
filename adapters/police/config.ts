// Police adapter configuration from the environment. The default points at the embedded stand-in
// database; in production the database URL must be given, so a missing setting fails at start-up.
import type { Env } from '../../subgraphs/types.js';
import { resilienceSettings, type ResilienceSettings } from '../resilience.js';
import type { SettingRow } from '../../platform/config.js';
import { positiveInt } from '../settings.js';

export interface PoliceConfig {
  /** `postgres://...`, `postgresql://...` or `embedded:<name>` (an in-process PGlite a stand-in registered). */
  databaseUrl: string;
  /** PostgreSQL schema holding the police tables; null uses the server's default search path. */
  schema: string | null;
  timeoutMs: number;
  /** Breaker, bulkhead, timeout and retries of this agency's system (`POLICE_BREAKER_FAILURES`, ...; adapters/resilience.ts). */
  resilience?: ResilienceSettings;
  poolMax: number;
}

export function policeConfig(env: Env = process.env): PoliceConfig {
  const databaseUrl = env.POLICE_DATABASE_URL;
  if (!databaseUrl && env.NODE_ENV === 'production') throw new Error('POLICE_DATABASE_URL is required in production');
  const schema = env.POLICE_DB_SCHEMA || null;
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`POLICE_DB_SCHEMA must be a lower-case identifier, got "${schema}"`);
  return {
    databaseUrl: databaseUrl || 'embedded:police',
    schema,
    timeoutMs: positiveInt(env, 'POLICE_TIMEOUT_MS', 3000),
    resilience: resilienceSettings(env, 'police'),
    poolMax: positiveInt(env, 'POLICE_DB_POOL_MAX', 5),
  };
}

/** This adapter's settings, for the README's table of environment variables (`npm run env:table -- --write`). */
export const SETTINGS_TABLE: SettingRow[] = [
  { name: 'POLICE_DATABASE_URL', shown: 'embedded', usedBy: 'police adapter', meaning: '`postgres://...` for a real PostgreSQL' },
  { name: 'POLICE_DB_SCHEMA', shown: '', usedBy: 'police adapter', meaning: 'schema holding the police tables' },
  { name: 'POLICE_DB_POOL_MAX', shown: '(adapter default)', usedBy: 'police adapter', meaning: 'connections to the police database' },
];

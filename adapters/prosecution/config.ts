// The prosecution adapter's settings, from the environment. A safe default for the embedded demo; in
// production a missing service URL fails at start-up instead of on the first query.
import type { Env } from '../../subgraphs/types.js';
import { resilienceSettings, type ResilienceSettings } from '../resilience.js';
import type { SettingRow } from '../../platform/config.js';
import { positiveInt } from '../settings.js';

export interface ProsecutionConfig {
  /** Base URL of the case management system's API, e.g. `http://host/cms`. */
  url: string;
  /** Deadline for one call when no policy applies. */
  timeoutMs: number;
  /** Breaker, bulkhead, timeout and retries of this agency's system (`PROSECUTION_BREAKER_FAILURES`, ...; adapters/resilience.ts). */
  resilience?: ResilienceSettings;
  /** Most keys (URNs, ASNs, PNCs) in one search; larger batches are split. */
  maxBatch: number;
}

export function prosecutionConfig(env: Env = process.env): ProsecutionConfig {
  const url = env.PROSECUTION_URL?.trim();
  if (!url && env.NODE_ENV === 'production') throw new Error('PROSECUTION_URL is required in production');
  return {
    url: url || 'http://127.0.0.1:8086',
    timeoutMs: positiveInt(env, 'PROSECUTION_TIMEOUT_MS', 3000),
    resilience: resilienceSettings(env, 'prosecution'),
    maxBatch: positiveInt(env, 'PROSECUTION_MAX_BATCH', 1000),
  };
}

/** This adapter's settings, for the README's table of environment variables (`npm run env:table -- --write`). */
export const SETTINGS_TABLE: SettingRow[] = [
  { name: 'PROSECUTION_URL', shown: '', usedBy: 'prosecution adapter', meaning: 'the prosecution case management system (case files as Common Platform shapes them)' },
  { name: 'PROSECUTION_MAX_BATCH', shown: '`1000`', usedBy: 'prosecution adapter', meaning: 'most case URNs or ASNs in one call' },
];

// The courts adapter's settings, from the environment. Safe defaults for the embedded demo; in
// production a missing service URL fails at start-up instead of on the first query.
import type { Env } from '../../subgraphs/types.js';
import { resilienceSettings, type ResilienceSettings } from '../resilience.js';
import type { SettingRow } from '../../platform/config.js';
import { positiveInt } from '../settings.js';

export interface CourtsConfig {
  /** The Libra result store endpoint that takes SOAP envelopes, e.g. `http://host/libra/CaseService`. */
  url: string;
  /**
   * The court list (hearings with bail status and custody time limits, Common Platform's hearing shape):
   * `COURTS_LISTING_URL`, by default the listing path on the result store's host.
   */
  listingUrl?: string;
  /** Deadline for one SOAP call. */
  timeoutMs: number;
  /** Breaker, bulkhead, timeout and retries of this agency's system (`COURTS_BREAKER_FAILURES`, ...; adapters/resilience.ts). */
  resilience?: ResilienceSettings;
  /** Most ids in one batch call; larger batches are split (the service rejects oversized requests). */
  maxBatch: number;
}

export function courtsConfig(env: Env = process.env): CourtsConfig {
  const url = env.COURTS_URL?.trim();
  if (!url && env.NODE_ENV === 'production') throw new Error('COURTS_URL is required in production');
  const listing = env.COURTS_LISTING_URL?.trim();
  const base = url || 'http://127.0.0.1:8082/libra/CaseService';
  return {
    url: base,
    listingUrl: listing || `${new URL(base).origin}/common-platform/listing/hearings`,
    timeoutMs: positiveInt(env, 'COURTS_TIMEOUT_MS', 3000),
    resilience: resilienceSettings(env, 'courts'),
    // Keys are ASNs, one per case: a hundred people are a few hundred keys, still one call per wave.
    maxBatch: positiveInt(env, 'COURTS_MAX_BATCH', 500),
  };
}

/** This adapter's settings, for the README's table of environment variables (`npm run env:table -- --write`). */
export const SETTINGS_TABLE: SettingRow[] = [
  { name: 'COURTS_URL', shown: '', usedBy: 'courts adapter', meaning: 'the court result store (SOAP `GetResultedCases`)' },
  { name: 'COURTS_LISTING_URL', shown: 'the listing path on `COURTS_URL`\'s host', usedBy: 'courts adapter', meaning: 'the court list: hearings with bail status and custody time limits, as Common Platform shapes them' },
  { name: 'COURTS_MAX_BATCH', shown: '`500`', usedBy: 'courts adapter', meaning: 'most ASNs or PTIURNs in one call (the stand-in takes 500)' },
  { name: 'COURTS_LIBRA_DIR', shown: '', usedBy: 'courts stand-in', meaning: 'also serve every `*.xml` delivered Libra message in this folder, unchanged' },
];

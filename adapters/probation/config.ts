// Where the probation offender search service is and how we authenticate to it, from PROBATION_* env.
// Defaults suit the embedded demo; production refuses to start without a real URL and credentials.
import type { Env } from '../../subgraphs/types.js';
import { resilienceSettings, type ResilienceSettings } from '../resilience.js';
import type { SettingRow } from '../../platform/config.js';
import { positiveInt } from '../settings.js';

export interface ProbationConfig {
  /** Base URL of the offender search service (no trailing slash). */
  baseUrl: string;
  /** Base URL of the nDelius integration API (`PROBATION_DELIUS_URL`, defaults to `PROBATION_URL`). */
  deliusUrl: string;
  /** GET /case/{crn}/supervisions has no bulk form: at most this many run at once (`PROBATION_SUPERVISION_CONCURRENCY`). */
  supervisionConcurrency: number;
  /** …and at most this many cases are asked in one wave (`PROBATION_SUPERVISION_MAX`); the rest report an error. */
  supervisionMax: number;
  /** Base URL of HMPPS Auth (`…/auth`); the token endpoint is `<authUrl>/oauth/token`. */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per HTTP call, token fetch included. */
  timeoutMs: number;
  /** Breaker, bulkhead, timeout and retries of this agency's system (`PROBATION_BREAKER_FAILURES`, ...; adapters/resilience.ts). */
  resilience?: ResilienceSettings;
  /** Page size asked of POST /search/people. */
  searchPageSize: number;
  /** Most pages one search reads; beyond it the result is marked truncated rather than fetched without bound. */
  searchMaxPages: number;
  /**
   * The local delivery units whose cases the data-quality report scans (`PROBATION_DATA_QUALITY_LDU_CODES`,
   * comma-separated codes); empty: the probation report is refused naming the variable.
   */
  dataQualityLduCodes: string[];
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

export function probationConfig(env: Env = process.env): ProbationConfig {
  const production = env.NODE_ENV === 'production';
  for (const name of ['PROBATION_URL', 'PROBATION_AUTH_URL', 'PROBATION_CLIENT_ID', 'PROBATION_CLIENT_SECRET']) {
    if (production && !env[name]) throw new Error(`${name} is required in production`);
  }
  const baseUrl = trimSlash(env.PROBATION_URL || 'http://127.0.0.1:8094');
  return {
    baseUrl,
    deliusUrl: trimSlash(env.PROBATION_DELIUS_URL || baseUrl),
    supervisionConcurrency: positiveInt(env, 'PROBATION_SUPERVISION_CONCURRENCY', 8),
    supervisionMax: positiveInt(env, 'PROBATION_SUPERVISION_MAX', 100),
    authUrl: trimSlash(env.PROBATION_AUTH_URL || `${baseUrl}/auth`),
    clientId: env.PROBATION_CLIENT_ID || 'justice-graph',
    clientSecret: env.PROBATION_CLIENT_SECRET || 'stand-in-only',
    timeoutMs: positiveInt(env, 'PROBATION_TIMEOUT_MS', 3000),
    resilience: resilienceSettings(env, 'probation'),
    searchPageSize: positiveInt(env, 'PROBATION_SEARCH_PAGE_SIZE', 100),
    searchMaxPages: positiveInt(env, 'PROBATION_SEARCH_MAX_PAGES', 10),
    dataQualityLduCodes: [...new Set((env.PROBATION_DATA_QUALITY_LDU_CODES ?? '').split(',').map((c) => c.trim().toUpperCase()).filter((c) => c !== ''))],
  };
}

/** This adapter's settings, for the README's table of environment variables (`npm run env:table -- --write`). */
export const SETTINGS_TABLE: SettingRow[] = [
  { name: 'PROBATION_URL, PROBATION_AUTH_URL, PROBATION_CLIENT_ID, PROBATION_CLIENT_SECRET', shown: '', usedBy: 'probation adapter', meaning: 'offender search and its OAuth2 client credentials' },
  { name: 'PROBATION_DELIUS_URL', shown: '`PROBATION_URL`', usedBy: 'probation adapter', meaning: 'the nDelius integration API (and the stand-in extension)' },
  { name: 'PROBATION_SEARCH_PAGE_SIZE / PROBATION_SEARCH_MAX_PAGES', shown: '`100` / `10`', usedBy: 'probation adapter', meaning: 'paging of searches' },
  { name: 'PROBATION_SUPERVISION_MAX / PROBATION_SUPERVISION_CONCURRENCY', shown: '`100` / `8`', usedBy: 'probation adapter', meaning: 'nDelius has no bulk supervisions call: most cases asked per wave, and at once' },
  { name: 'PROBATION_DATA_QUALITY_LDU_CODES', shown: '(the stand-in\'s, in the embedded stack)', usedBy: 'probation adapter', meaning: 'local delivery units (comma-separated codes) whose current cases the probation data-quality report scans; unset: that report is refused' },
];

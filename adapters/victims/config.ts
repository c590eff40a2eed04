// Configuration of the victims adapter, from the environment. The victim contact system writes its
// exports into a folder the adapter reads in place; there is no default folder outside the stand-in.
import type { Env } from '../../subgraphs/types.js';
import { resilienceSettings, type ResilienceSettings } from '../resilience.js';
import type { SettingRow } from '../../platform/config.js';
import { positiveInt } from '../settings.js';

export interface VictimsConfig {
  /** Folder holding VICTIMS_<YYYYMMDD>.csv and VCS_<YYYYMMDD>.dat; null when not configured (outside production). */
  exportDir: string | null;
  /** Deadline for each folder listing, stat and file read. */
  timeoutMs: number;
  /** Breaker, bulkhead, timeout and retries of this agency's system (`VICTIMS_BREAKER_FAILURES`, ...; adapters/resilience.ts). */
  resilience?: ResilienceSettings;
}

/** Reads VICTIMS_EXPORT_DIR and VICTIMS_TIMEOUT_MS; fails fast in production when the folder is not set. */
export function loadConfig(env: Env): VictimsConfig {
  const dir = env.VICTIMS_EXPORT_DIR?.trim() || null;
  // Without this check a production gateway would start and answer every victims field with an outage.
  if (!dir && env.NODE_ENV === 'production') throw new Error('VICTIMS_EXPORT_DIR must be set in production: the folder the victim contact system exports into');
  return { exportDir: dir, timeoutMs: positiveInt(env, 'VICTIMS_TIMEOUT_MS', 3000), resilience: resilienceSettings(env, 'victims') };
}

/** This adapter's settings, for the README's table of environment variables (`npm run env:table -- --write`). */
export const SETTINGS_TABLE: SettingRow[] = [
  { name: 'VICTIMS_EXPORT_DIR', shown: '', usedBy: 'victims adapter', meaning: 'folder the victim-contact system exports into' },
];

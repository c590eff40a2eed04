// Audit configuration from the environment: embedded defaults for the demo, a signing key required in production.
import { join } from 'node:path';
import type { JWK } from 'jose';
import { devKeysDir, jwkFromEnv } from '../auth/keys.js';
import { loadOrCreateAuditDevKeyPair, publicJwkOf } from './checkpoint.js';

export interface AuditConfig {
  /** `AUDIT_DATABASE_URL`: PostgreSQL as the app role; when absent, the file store in `dir`. */
  databaseUrl: string | null;
  /** `AUDIT_RETENTION_DATABASE_URL`: PostgreSQL as the retention role (default: databaseUrl). */
  retentionDatabaseUrl: string | null;
  /** `AUDIT_DB_SCHEMA`, default `audit`. */
  schema: string;
  /** `AUDIT_DIR`, default `.data/audit`. */
  dir: string;
  /** `AUDIT_CHECKPOINT_EVERY`, default 100. */
  checkpointEvery: number;
  /** `AUDIT_RETENTION_DAYS`, default 2555 (7 years). */
  retentionDays: number;
  /** `AUDIT_SIGNING_KEY` (private JWK JSON); otherwise the development key; null when only verifying. */
  signingKey: JWK | null;
  /** `AUDIT_PUBLIC_KEYS` (a JWK or a JWKS as JSON) plus the signing key's public half. */
  publicKeys: JWK[];
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

function publicKeysFromEnv(value: string | undefined): JWK[] {
  if (!value) return [];
  const parsed = (() => {
    try {
      return JSON.parse(value) as JWK | { keys: JWK[] };
    } catch {
      throw new Error('AUDIT_PUBLIC_KEYS must hold a JWK or a JWKS as JSON; it does not');
    }
  })();
  return 'keys' in parsed && Array.isArray(parsed.keys) ? parsed.keys : [parsed as JWK];
}

/** `verifyOnly`: an auditor holding only AUDIT_PUBLIC_KEYS needs no signing key. */
export async function loadAuditConfig(env: Record<string, string | undefined> = process.env, options: { verifyOnly?: boolean } = {}): Promise<AuditConfig> {
  const production = env.NODE_ENV === 'production';
  const extraKeys = publicKeysFromEnv(env.AUDIT_PUBLIC_KEYS);
  const needSigningKey = !(options.verifyOnly && extraKeys.length > 0);
  // A development key in production would let anyone with the repository's machine forge checkpoints.
  if (production && needSigningKey && !env.AUDIT_SIGNING_KEY) throw new Error('AUDIT_SIGNING_KEY is required in production');
  const signingKey = env.AUDIT_SIGNING_KEY
    ? jwkFromEnv('AUDIT_SIGNING_KEY', env.AUDIT_SIGNING_KEY)
    : needSigningKey ? (await loadOrCreateAuditDevKeyPair(devKeysDir(env))).privateJwk : null;
  if (signingKey && typeof signingKey.d !== 'string') throw new Error('AUDIT_SIGNING_KEY must be a private JWK (with "d")');
  const databaseUrl = env.AUDIT_DATABASE_URL || null;
  return {
    databaseUrl,
    retentionDatabaseUrl: env.AUDIT_RETENTION_DATABASE_URL || databaseUrl,
    schema: env.AUDIT_DB_SCHEMA || 'audit',
    dir: env.AUDIT_DIR || join(process.cwd(), '.data', 'audit'),
    checkpointEvery: positiveInt('AUDIT_CHECKPOINT_EVERY', env.AUDIT_CHECKPOINT_EVERY, 100),
    retentionDays: positiveInt('AUDIT_RETENTION_DAYS', env.AUDIT_RETENTION_DAYS, 2555),
    signingKey,
    publicKeys: [...(signingKey ? [publicJwkOf(signingKey)] : []), ...extraKeys],
  };
}

// Audit configuration from the environment (parsed by the one settings schema, platform/config.ts):
// embedded defaults for the demo, a signing key required in production.
import { join } from 'node:path';
import type { JWK } from 'jose';
import { devKeysDir, jwkFromEnv } from '../auth/keys.js';
import { ConfigError, pickSettings } from '../platform/config.js';
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
  const s = pickSettings(env, ['NODE_ENV', 'AUDIT_PUBLIC_KEYS', 'AUDIT_SIGNING_KEY', 'AUDIT_DATABASE_URL', 'AUDIT_RETENTION_DATABASE_URL', 'AUDIT_DB_SCHEMA', 'AUDIT_DIR', 'AUDIT_CHECKPOINT_EVERY', 'AUDIT_RETENTION_DAYS']);
  const production = s.NODE_ENV === 'production';
  const extraKeys = publicKeysFromEnv(s.AUDIT_PUBLIC_KEYS ?? undefined);
  const needSigningKey = !(options.verifyOnly && extraKeys.length > 0);
  // A development key in production would let anyone with the repository's machine forge checkpoints.
  if (production && needSigningKey && !s.AUDIT_SIGNING_KEY) throw new ConfigError([{ variable: 'AUDIT_SIGNING_KEY', message: 'is required in production' }]);
  const signingKey = s.AUDIT_SIGNING_KEY
    ? jwkFromEnv('AUDIT_SIGNING_KEY', s.AUDIT_SIGNING_KEY)
    : needSigningKey ? (await loadOrCreateAuditDevKeyPair(devKeysDir(env))).privateJwk : null;
  if (signingKey && typeof signingKey.d !== 'string') throw new Error('AUDIT_SIGNING_KEY must be a private JWK (with "d")');
  const databaseUrl = s.AUDIT_DATABASE_URL;
  return {
    databaseUrl,
    retentionDatabaseUrl: s.AUDIT_RETENTION_DATABASE_URL ?? databaseUrl,
    schema: s.AUDIT_DB_SCHEMA,
    dir: s.AUDIT_DIR ?? join(process.cwd(), '.data', 'audit'),
    checkpointEvery: s.AUDIT_CHECKPOINT_EVERY,
    retentionDays: s.AUDIT_RETENTION_DAYS,
    signingKey,
    publicKeys: [...(signingKey ? [publicJwkOf(signingKey)] : []), ...extraKeys],
  };
}

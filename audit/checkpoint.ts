// Signed checkpoints of the chain head: without the signing key nobody can rewrite the chain and make a
// checkpoint agree with it. Keys: AUDIT_SIGNING_KEY in production, .dev-keys/audit.json in development.
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactSign, compactVerify, type CryptoKey, type JWK } from 'jose';
import { ALG, devKeysDir, importKey, newKeyPair, type KeyPair } from '../auth/keys.js';
import { canonicalJson, type Checkpoint } from './record.js';

/** JWS `typ` of a checkpoint, so a signature made for anything else is never taken for one. */
const TYP = 'audit-checkpoint+jws';

export interface CheckpointSigner {
  kid: string;
  /** The public half, for verification. */
  publicJwk: JWK;
  sign(head: { seq: number; hash: string }, time?: Date): Promise<Checkpoint>;
}

export async function createCheckpointSigner(privateJwk: JWK): Promise<CheckpointSigner> {
  const kid = privateJwk.kid;
  if (!kid) throw new Error('the audit signing key must have a "kid"');
  const key = await importKey(privateJwk);
  return {
    kid,
    publicJwk: publicJwkOf(privateJwk),
    async sign(head, time = new Date()) {
      const payload = { seq: head.seq, hash: head.hash, time: time.toISOString() };
      const signature = await new CompactSign(new TextEncoder().encode(canonicalJson(payload)))
        .setProtectedHeader({ alg: ALG, kid, typ: TYP })
        .sign(key);
      return { ...payload, signature, kid };
    },
  };
}

/** A private JWK without its private part. */
export function publicJwkOf(jwk: JWK): JWK {
  const { d: _d, key_ops: _ops, ...pub } = jwk;
  return { ...pub, use: 'sig' };
}

/** Verifies checkpoints against a set of public keys, chosen by `kid` (so keys can be rotated). */
export class CheckpointVerifier {
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  constructor(publicJwks: JWK | JWK[]) {
    for (const jwk of Array.isArray(publicJwks) ? publicJwks : [publicJwks]) {
      if (!jwk.kid) throw new Error('every audit verification key must have a "kid"');
      this.keys.set(jwk.kid, importKey(publicJwkOf(jwk)));
    }
  }

  /** null when the checkpoint is genuine, otherwise why not. */
  async problem(cp: Checkpoint): Promise<string | null> {
    const key = this.keys.get(cp.kid);
    if (!key) return `signed with unknown key "${cp.kid}"`;
    try {
      const { payload, protectedHeader } = await compactVerify(cp.signature, await key);
      if (protectedHeader.kid !== cp.kid || protectedHeader.typ !== TYP) return 'signature header does not match';
      const signed = JSON.parse(new TextDecoder().decode(payload)) as { seq?: unknown; hash?: unknown; time?: unknown };
      if (signed.seq !== cp.seq || signed.hash !== cp.hash || signed.time !== cp.time) return 'signed content differs from the checkpoint';
      return null;
    } catch {
      return 'signature invalid';
    }
  }
}

/** Loads `<dir>/audit.json`, creating it (0600) once even when several processes start together. */
export async function loadOrCreateAuditDevKeyPair(dir = devKeysDir()): Promise<KeyPair> {
  const file = join(dir, 'audit.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeyPair;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = await newKeyPair(`dev-audit-${Date.now().toString(36)}`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(pair, null, 2), { mode: 0o600 });
  try {
    linkSync(tmp, file); // atomic and refuses to overwrite: the first process's key wins
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as KeyPair;
}

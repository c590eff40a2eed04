// Signing keys. Production keys come from configuration; development keys are generated locally on
// first use into .dev-keys/ (git-ignored) so no secret is ever committed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';

export const ALG = 'ES256';

export interface KeyPair {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function newKeyPair(kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALG };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
  return { kid, privateJwk, publicJwk };
}

/** The project's development key folder: `DEV_KEYS_DIR` or `.dev-keys` in the working directory. */
export function devKeysDir(env: Record<string, string | undefined> = process.env): string {
  return env.DEV_KEYS_DIR ?? join(process.cwd(), '.dev-keys');
}

/** Loads `<dir>/<name>.json`, generating and saving a fresh key pair (mode 0600) if there is none. */
export async function loadOrCreateDevKeyPair(name: 'issuer' | 'gateway' | 'identity' | 'audit', dir = devKeysDir()): Promise<KeyPair> {
  const file = join(dir, `${name}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeyPair;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = await newKeyPair(`dev-${name}-${Date.now().toString(36)}`);
  writeFileSync(file, JSON.stringify(pair, null, 2), { mode: 0o600 });
  return pair;
}

export async function importKey(jwk: JWK): Promise<CryptoKey> {
  return (await importJWK(jwk, ALG)) as CryptoKey;
}

/** Parses a JWK given as JSON in an environment variable, naming the variable when it is not one. */
export function jwkFromEnv(name: string, value: string): JWK {
  try {
    const jwk = JSON.parse(value) as JWK;
    if (typeof jwk.kty !== 'string') throw new Error('no kty');
    return jwk;
  } catch {
    throw new Error(`${name} must hold a JSON Web Key (JSON with "kty"); it does not`);
  }
}

// Reading an adapter's own numeric settings: one rule and one message for every agency.
import type { Env } from '../subgraphs/types.js';

/** `env[name]` as a positive whole number, `fallback` when unset or blank; anything else fails at start-up naming the variable. */
export function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw == null || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

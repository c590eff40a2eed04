// Pure helpers of the benchmark: legacy waves from the stand-ins' request log, percentiles, and the
// figures table. No I/O here, so they are tested as input → output.
import type { RequestLogEntry } from '../legacy/faults.js';

export interface Wave {
  /** When the wave's first call arrived, in ms after the request's first legacy call. */
  startMs: number;
  /** Calls in the wave, by agency. */
  calls: Record<string, number>;
}

/**
 * Legacy waves of one request, from the stand-ins' timestamped request log.
 *
 * Definition: a wave is the set of legacy calls the product issued in the same phase of its plan. It is
 * measured with the same latency L injected on every legacy system, so no call can arrive before a
 * call it depends on has been answered, i.e. earlier than L after that call arrived. Sort all calls by
 * arrival; the first call opens wave 1; every call arriving less than L after the first call of the
 * current wave belongs to that wave; the first call arriving L or more after it opens the next wave.
 *
 * A call that depends on a call of wave k therefore always lands in a later wave, so the count is at
 * least the depth of the plan's chain of dependent calls. It is more only where the product issued a
 * call late for another reason (CPU work, a queue for a connection), which delays the answer as much.
 */
export function legacyWaves(log: Record<string, RequestLogEntry[]>, latencyMs: number): Wave[] {
  if (!(latencyMs > 0)) throw new Error(`waves are measured with latency injected on every system: expected latencyMs > 0, got ${latencyMs}`);
  const calls = Object.entries(log).flatMap(([agency, entries]) => entries.map((e) => ({ agency, at: e.at }))).sort((a, b) => a.at - b.at);
  const waves: Wave[] = [];
  let opened = -Infinity;
  const origin = calls[0]?.at ?? 0;
  for (const c of calls) {
    if (c.at - opened >= latencyMs) {
      opened = c.at;
      waves.push({ startMs: +(c.at - origin).toFixed(1), calls: {} });
    }
    const w = waves[waves.length - 1];
    w.calls[c.agency] = (w.calls[c.agency] ?? 0) + 1;
  }
  return waves;
}

/** The p-th percentile (nearest rank) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A markdown table of rows (objects with the same keys), columns in the first row's key order. */
export function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return [`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(' | ')} |`)].join('\n');
}

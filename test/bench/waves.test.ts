// How the benchmark counts legacy waves from the stand-ins' request log.
import { describe, expect, it } from 'vitest';
import { legacyWaves, percentile } from '../../bench/waves.js';

const at = (...ms: number[]) => ms.map((t) => ({ at: 1_000_000 + t, operation: 'op' }));

describe('legacy waves', () => {
  it('puts calls issued together in one wave, whatever the agency', () => {
    const waves = legacyWaves({ police: at(0, 3), courts: at(1), prisons: at(12) }, 50);
    expect(waves).toEqual([{ startMs: 0, calls: { police: 2, courts: 1, prisons: 1 } }]);
  });

  it('opens a new wave for a call that could have waited on an answer (at least the latency after the wave began)', () => {
    const waves = legacyWaves({ police: at(0, 55, 120), courts: at(2, 60), probation: at(49.9) }, 50);
    expect(waves.map((w) => w.calls)).toEqual([{ police: 1, courts: 1, probation: 1 }, { police: 1, courts: 1 }, { police: 1 }]);
    expect(waves.map((w) => w.startMs)).toEqual([0, 55, 120]);
  });

  it('counts no wave for a request that made no legacy call, and needs injected latency to count at all', () => {
    expect(legacyWaves({ police: [] }, 50)).toEqual([]);
    expect(() => legacyWaves({ police: at(0) }, 0)).toThrow(/latencyMs > 0/);
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const ms = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(ms, 50)).toBe(50);
    expect(percentile(ms, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
  });
});

// Rate limits and the enumeration guard, in memory and against the machine's Redis (one unique key
// prefix per test, so parallel runs and other users of the Redis never meet).
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, RateLimited, RateLimitGuard, type RateLimitConfig } from '../../gateway/rate-limit.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A logger whose lines the test can read. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } }));
  return { log, lines };
}

const officer = { subject: 'u1', agency: 'POLICE', roles: ['POLICE_OFFICER'] };
const keys = (from: number, n: number) => Array.from({ length: n }, (_, i) => `person-${from + i}`);
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as RateLimited);

const guards: RateLimitGuard[] = [];
afterAll(async () => { await Promise.all(guards.map((g) => g.close())); });

for (const store of ['memory', 'redis'] as const) {
  describe(`rate limits (${store})`, () => {
    const make = async (over: Partial<RateLimitConfig>) => {
      const { log, lines } = capture();
      const config = { ...DEFAULT_RATE_LIMITS, ...over, redisUrl: store === 'redis' ? REDIS_URL : null, keyPrefix: `test:${randomUUID()}` };
      const guard = await RateLimitGuard.create(config, log);
      guards.push(guard);
      return { guard, lines, config };
    };

    it('refuses a user over their request rate with 429 and Retry-After, and logs a line to alert on', async () => {
      const { guard, lines } = await make({ perUser: { requests: 3, windowSeconds: 60 } });
      for (let i = 0; i < 3; i++) await guard.admit(officer, [], `r${i}`);
      const err = await refusal(guard.admit(officer, [], 'r3'));
      expect(err).toBeInstanceOf(RateLimited);
      expect(err!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'perUser', http: { status: 429 } });
      expect(err!.retryAfterSeconds).toBeGreaterThan(0);
      expect(err!.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(lines.at(-1)).toMatchObject({ event: 'gateway.rate_limited', security: true, limit: 'perUser', subject: 'u1', agency: 'POLICE', requestId: 'r3' });
      // Another user is not affected.
      await guard.admit({ ...officer, subject: 'u2' }, [], 'r4');
    });

    it('refuses an agency over its shared rate, whoever asks', async () => {
      const { guard } = await make({ perAgency: { requests: 2, windowSeconds: 60 } });
      await guard.admit({ ...officer, subject: 'a' }, [], 'r1');
      await guard.admit({ ...officer, subject: 'b' }, [], 'r2');
      expect((await refusal(guard.admit({ ...officer, subject: 'c' }, [], 'r3')))!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'perAgency' });
      await guard.admit({ ...officer, agency: 'PROBATION', roles: ['PROBATION_OFFICER'] }, [], 'r4');
    });

    it('counts distinct people, not requests: looking again at the same people is free, new ones are refused past the limit', async () => {
      const { guard, lines } = await make({ distinctSubjects: { perUser: 10, byRole: {}, windowSeconds: 3600 } });
      await guard.admit(officer, keys(0, 6), 'r1');
      await guard.admit(officer, keys(0, 6), 'r2');
      await guard.admit(officer, keys(3, 7), 'r3'); // 3 to 9: 4 new, 10 in all
      const err = await refusal(guard.admit(officer, keys(10, 1), 'r4'));
      expect(err!.extensions).toMatchObject({ code: 'TOO_MANY_SUBJECTS', limit: 'distinctSubjects', http: { status: 429, headers: { 'retry-after': expect.any(String) } } });
      expect(lines.at(-1)).toMatchObject({ event: 'gateway.rate_limited', limit: 'distinctSubjects', subject: 'u1', allowed: 10, count: 10, asked: 1 });
      // A refused lookup is not counted: the same people already seen still pass, the refused one is refused again.
      await guard.admit(officer, keys(0, 10), 'r5');
      expect(await refusal(guard.admit(officer, keys(10, 1), 'r6'))).toBeInstanceOf(RateLimited);
    });

    it('gives each role its own allowance, the highest of the caller\'s roles', async () => {
      const { guard } = await make({ distinctSubjects: { perUser: 2, byRole: { PERFORMANCE_ANALYST: 50 }, windowSeconds: 3600 } });
      expect(guard.distinctLimitFor(['POLICE_OFFICER'])).toBe(2);
      expect(guard.distinctLimitFor(['POLICE_OFFICER', 'PERFORMANCE_ANALYST'])).toBe(50);
      await guard.admit({ subject: 'analyst', agency: 'MOJ', roles: ['PERFORMANCE_ANALYST'] }, keys(0, 40), 'r1');
      expect(await refusal(guard.admit(officer, keys(0, 3), 'r2'))).toBeInstanceOf(RateLimited);
    });

    if (store === 'redis') {
      it('shares counts between gateway instances', async () => {
        const first = await make({ distinctSubjects: { perUser: 5, byRole: {}, windowSeconds: 3600 } });
        const second = await RateLimitGuard.create(first.config, capture().log);
        guards.push(second);
        await first.guard.admit(officer, keys(0, 3), 'r1');
        await second.admit(officer, keys(0, 2), 'r2'); // seen by the first instance: free
        await second.admit(officer, keys(3, 2), 'r3'); // 5 in all
        expect(await refusal(first.guard.admit(officer, keys(5, 1), 'r4'))).toBeInstanceOf(RateLimited);
      });

      it('refuses to start when it is told to share counts and the store cannot be reached', async () => {
        await expect(RateLimitGuard.create({ ...DEFAULT_RATE_LIMITS, redisUrl: 'redis://127.0.0.1:1', keyPrefix: 'test:unreachable' }, capture().log)).rejects.toThrow();
      });
    }
  });
}

// Rate limits and the enumeration guard, checked after the query limits and before any agency is asked:
// requests per user and per agency in a window, and how many distinct subjects (people, cases, victims:
// the hashed arguments of root fields) one user may look up in a window, by role. Counters live in
// Redis when GATEWAY_RATE_LIMIT_REDIS_URL is set, so every gateway instance sees the same counts; in
// memory otherwise (npm start). rate-limiter-flexible does the counting for both stores; if Redis fails
// at run time its in-memory insurance limiter keeps counting per instance rather than letting everyone through.
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../platform/log.js';
import { QueryRefused } from './limits.js';

export interface RateLimitConfig {
  /** Requests one user (token subject) may send per window. */
  perUser: { requests: number; windowSeconds: number };
  /** Requests all users of one agency together may send per window. */
  perAgency: { requests: number; windowSeconds: number };
  /** Distinct subjects one user may look up per window; a role's own figure wins (the highest of the caller's roles). */
  distinctSubjects: { perUser: number; byRole: Record<string, number>; windowSeconds: number };
  /** Shared store; null keeps counters in this process. */
  redisUrl: string | null;
  /** Prefix of every key in the shared store (tests use a unique one). */
  keyPrefix: string;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  perUser: { requests: 300, windowSeconds: 60 },
  perAgency: { requests: 3000, windowSeconds: 60 },
  // 357 people in two minutes is the pattern misuse investigations look for; a day's genuine casework is far below 200 an hour.
  distinctSubjects: { perUser: 200, byRole: {}, windowSeconds: 3600 },
  redisUrl: null,
  keyPrefix: 'jg:rl',
};

export interface RateLimitedCaller {
  subject: string;
  agency: string;
  roles: readonly string[];
}

export class RateLimited extends QueryRefused {
  constructor(code: string, limit: string, message: string, readonly retryAfterSeconds: number) {
    super(code, limit, message, 429);
    (this.extensions as Record<string, unknown>).http = { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } };
    (this.extensions as Record<string, unknown>).retryAfter = retryAfterSeconds;
  }
}

const BIG = Number.MAX_SAFE_INTEGER;

export class RateLimitGuard {
  private constructor(
    private readonly config: RateLimitConfig,
    private readonly user: RateLimiterAbstract,
    private readonly agency: RateLimiterAbstract,
    /** One point per (user, subject) per window: consuming succeeds only the first time a user looks a subject up. */
    private readonly seen: RateLimiterAbstract,
    /** Counts new subjects per user; never refuses by itself (the limit depends on the caller's roles). */
    private readonly distinct: RateLimiterAbstract,
    private readonly log: Logger,
    private readonly redis: Redis | null,
  ) {}

  static async create(config: RateLimitConfig, log: Logger): Promise<RateLimitGuard> {
    const specs = {
      user: { points: config.perUser.requests, duration: config.perUser.windowSeconds },
      agency: { points: config.perAgency.requests, duration: config.perAgency.windowSeconds },
      seen: { points: 1, duration: config.distinctSubjects.windowSeconds },
      distinct: { points: BIG, duration: config.distinctSubjects.windowSeconds },
    };
    let redis: Redis | null = null;
    const make = (name: keyof typeof specs): RateLimiterAbstract => {
      const opts = { ...specs[name], keyPrefix: `${config.keyPrefix}:${name}` };
      if (!redis) return new RateLimiterMemory(opts);
      return new RateLimiterRedis({ ...opts, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(opts) });
    };
    if (config.redisUrl) {
      // No offline queue: while Redis is away a check fails over to the insurance limiter at once instead of waiting.
      const client = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
      let warned = false;
      client.on('error', (err: Error) => {
        if (!warned) log.warn({ err: err.message }, 'rate-limit store unreachable; counting in this process until it returns');
        warned = true;
      });
      client.on('ready', () => { warned = false; });
      // Fail fast at start: a gateway told to share counters must not silently count alone.
      await client.connect();
      redis = client;
    }
    return new RateLimitGuard(config, make('user'), make('agency'), make('seen'), make('distinct'), log, redis);
  }

  /** The caller's distinct-subject allowance: the highest figure among their roles, else the default. */
  distinctLimitFor(roles: readonly string[]): number {
    const figures = roles.map((r) => this.config.distinctSubjects.byRole[r]).filter((n): n is number => typeof n === 'number');
    return figures.length ? Math.max(...figures) : this.config.distinctSubjects.perUser;
  }

  /** Both checks in turn (tests and callers that have the subjects at hand). */
  async admit(caller: RateLimitedCaller, subjectKeys: readonly string[], requestId: string): Promise<void> {
    await this.admitRequest(caller, requestId);
    await this.admitSubjects(caller, subjectKeys, requestId);
  }

  /**
   * Counts one request against the user's and the agency's rates; throws RateLimited (429, with
   * Retry-After) when one is crossed. Runs before the query is measured, so a flood of refused
   * queries is stopped here too.
   */
  async admitRequest(caller: RateLimitedCaller, requestId: string): Promise<void> {
    const who = `${caller.agency}:${caller.subject}`;
    await this.take(this.user, who, 1, 'RATE_LIMITED', 'perUser', caller, requestId, `You have sent more than ${this.config.perUser.requests} requests in ${this.config.perUser.windowSeconds} s`);
    await this.take(this.agency, caller.agency, 1, 'RATE_LIMITED', 'perAgency', caller, requestId, `Your agency has sent more than ${this.config.perAgency.requests} requests in ${this.config.perAgency.windowSeconds} s`);
  }

  /** The enumeration guard: counts the subjects this user has not looked up yet in the window; throws TOO_MANY_SUBJECTS past the allowance. */
  async admitSubjects(caller: RateLimitedCaller, subjectKeys: readonly string[], requestId: string): Promise<void> {
    if (!subjectKeys.length) return;
    const who = `${caller.agency}:${caller.subject}`;

    const firsts = await Promise.allSettled(subjectKeys.map((k) => this.seen.consume(`${who}|${k}`)));
    const fresh: string[] = [];
    firsts.forEach((r, i) => {
      if (r.status === 'fulfilled') fresh.push(subjectKeys[i]);
      else if (!(r.reason instanceof RateLimiterRes)) throw r.reason; // the store failed and so did its insurance
    });
    if (!fresh.length) return;
    const limit = this.distinctLimitFor(caller.roles);
    const res = await this.distinct.consume(who, fresh.length);
    if (res.consumedPoints <= limit) return;
    // Refused lookups are not counted as seen: the same request tried later is judged afresh.
    await Promise.allSettled([this.distinct.reward(who, fresh.length), ...fresh.map((k) => this.seen.delete(`${who}|${k}`))]);
    const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    this.alert(caller, requestId, 'distinctSubjects', { allowed: limit, count: res.consumedPoints - fresh.length, asked: fresh.length, windowSeconds: this.config.distinctSubjects.windowSeconds });
    throw new RateLimited('TOO_MANY_SUBJECTS', 'distinctSubjects',
      `You have looked up ${res.consumedPoints - fresh.length} different people or records in the last ${this.config.distinctSubjects.windowSeconds} s; your role allows ${limit}. This request would add ${fresh.length}`, retryAfter);
  }

  private async take(limiter: RateLimiterAbstract, key: string, points: number, code: string, limit: string, caller: RateLimitedCaller, requestId: string, message: string): Promise<void> {
    try {
      await limiter.consume(key, points);
    } catch (rej) {
      if (!(rej instanceof RateLimiterRes)) throw rej;
      const retryAfter = Math.max(1, Math.ceil(rej.msBeforeNext / 1000));
      this.alert(caller, requestId, limit, { count: rej.consumedPoints });
      throw new RateLimited(code, limit, `${message}; try again in ${retryAfter} s`, retryAfter);
    }
  }

  /** The line a security team alerts on: one event name, who, which limit. */
  private alert(caller: RateLimitedCaller, requestId: string, limit: string, detail: Record<string, unknown>): void {
    this.log.warn({ ...detail, event: 'gateway.rate_limited', security: true, limit, subject: caller.subject, agency: caller.agency, roles: caller.roles, requestId }, `caller refused by the ${limit} limit`);
  }

  async close(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

// One resilience policy per legacy system, held by that agency's adapter client inside its subgraph
// process: a circuit breaker, a bulkhead, a timeout and retries with jittered backoff, from cockatiel.
// The breaker counts only the legacy system's own failures (AdapterError.systemFault: transport errors,
// 5xx, timeouts), never what a caller's request caused (a 4xx, a SOAP Client fault, a record that does
// not exist, a record that cannot be read). Only reads are retried, and what is a read is declared by
// the adapter for each operation, never guessed from a request body or an error's text.
import {
  BrokenCircuitError, BulkheadRejectedError, CircuitState, ConsecutiveBreaker, ExponentialBackoff, TaskCancelledError,
  TimeoutStrategy, bulkhead, circuitBreaker, handleWhen, retry, timeout, type BulkheadPolicy, type CircuitBreakerPolicy,
  type RetryPolicy, type TimeoutPolicy,
} from 'cockatiel';
import type { Env } from '../subgraphs/types.js';
import { createLogger, type Logger } from '../platform/log.js';
import { registerBreaker } from '../platform/telemetry.js';
import { AdapterError } from './errors.js';

/** How an operation may be treated: a read can be sent again without changing anything; a write never is. */
export type OperationKind = 'read' | 'write';

export interface LegacyCall {
  /** The operation's stable name (logs and counts only). */
  operation: string;
  /** Declared by the adapter for the operation: only reads are retried. */
  kind: OperationKind;
}

export interface ResilienceSettings {
  /** Deadline of one attempt, ms (`<SLUG>_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Calls in flight at once (`<SLUG>_CONCURRENCY`); more wait in the queue. */
  concurrency: number;
  /** Calls that may wait for a slot (`<SLUG>_QUEUE`); beyond it a call fails at once with SOURCE_UNAVAILABLE. */
  queue: number;
  /** Consecutive system failures that open the breaker (`<SLUG>_BREAKER_FAILURES`). */
  breakerFailures: number;
  /** How long the breaker stays open before one trial call (`<SLUG>_BREAKER_COOLDOWN_MS`). */
  breakerCooldownMs: number;
  /** Further attempts of a read after a system failure (`<SLUG>_RETRIES`); writes get none. */
  retries: number;
  /** First backoff delay, ms (`<SLUG>_RETRY_DELAY_MS`); later ones grow, jittered, up to 8 times it. */
  retryDelayMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = {
  timeoutMs: 3000, concurrency: 16, queue: 256, breakerFailures: 5, breakerCooldownMs: 10_000, retries: 1, retryDelayMs: 50,
};

const LIMITS: Record<keyof ResilienceSettings, [min: number, max: number, suffix: string]> = {
  timeoutMs: [1, 120_000, 'TIMEOUT_MS'],
  concurrency: [1, 1000, 'CONCURRENCY'],
  queue: [0, 100_000, 'QUEUE'],
  breakerFailures: [1, 1000, 'BREAKER_FAILURES'],
  breakerCooldownMs: [10, 600_000, 'BREAKER_COOLDOWN_MS'],
  retries: [0, 5, 'RETRIES'],
  retryDelayMs: [1, 10_000, 'RETRY_DELAY_MS'],
};

/** The settings of agency `slug` from `<SLUG>_*` variables, each checked; a bad value fails at start-up naming it. */
export function resilienceSettings(env: Env, slug: string, defaults: Partial<ResilienceSettings> = {}): ResilienceSettings {
  const prefix = slug.toUpperCase().replace(/-/g, '_');
  const out = { ...DEFAULT_RESILIENCE, ...defaults };
  for (const key of Object.keys(LIMITS) as (keyof ResilienceSettings)[]) {
    const [min, max, suffix] = LIMITS[key];
    const name = `${prefix}_${suffix}`;
    const raw = env[name];
    if (raw == null || raw.trim() === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    out[key] = n;
  }
  return out;
}

/** True for a failure of the legacy system itself: what the breaker counts and a read is retried on. */
export function isSystemFailure(err: unknown): boolean {
  return err instanceof AdapterError && err.systemFault;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What a policy reports, for logs, health and tests; injected, never a global. */
export interface ResilienceObserver {
  /** Every attempt that reached the legacy system, with how it ended. */
  attempt?(e: { agency: string; operation: string; kind: OperationKind; attempt: number; outcome: 'ok' | 'system-failure' | 'other-failure' }): void;
  /** The breaker changed state. */
  breaker?(e: { agency: string; state: BreakerState }): void;
  /** A call was refused without reaching the system: breaker open, or bulkhead full. */
  rejected?(e: { agency: string; operation: string; reason: 'breaker-open' | 'bulkhead-full' }): void;
}

const STATE: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed', [CircuitState.Open]: 'open', [CircuitState.HalfOpen]: 'half-open', [CircuitState.Isolated]: 'open',
};

export interface LegacyPolicyOptions {
  log?: Logger;
  observer?: ResilienceObserver;
}

/**
 * The policy of one legacy system. `run` sends one call through retry → breaker → bulkhead → timeout:
 * each attempt is counted by the breaker and holds a bulkhead slot only while it runs; a retry waits a
 * jittered, growing delay; when the breaker is open the call fails at once with SOURCE_UNAVAILABLE.
 */
export class LegacyPolicy {
  readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: BulkheadPolicy;
  private readonly timeout: TimeoutPolicy;
  private readonly retry: RetryPolicy;
  private readonly log: Logger;

  constructor(readonly agency: string, readonly settings: ResilienceSettings, private readonly opts: LegacyPolicyOptions = {}) {
    this.log = opts.log ?? createLogger(`adapter:${agency}`);
    this.breaker = circuitBreaker(handleWhen(isSystemFailure), {
      halfOpenAfter: settings.breakerCooldownMs,
      breaker: new ConsecutiveBreaker(settings.breakerFailures),
    });
    this.bulkhead = bulkhead(settings.concurrency, settings.queue);
    // Aggressive: the call is given up at the deadline even if the legacy client ignores the abort signal.
    this.timeout = timeout(settings.timeoutMs, TimeoutStrategy.Aggressive);
    this.retry = retry(handleWhen(isSystemFailure), {
      maxAttempts: settings.retries,
      backoff: new ExponentialBackoff({ initialDelay: settings.retryDelayMs, maxDelay: settings.retryDelayMs * 8 }),
    });
    this.breaker.onStateChange((s) => {
      const state = STATE[s];
      // A security or operations team alerts on this line: an agency's system is being shed.
      (state === 'open' ? this.log.warn.bind(this.log) : this.log.info.bind(this.log))({ event: 'adapter.breaker', agency, state }, `${agency} breaker ${state}`);
      opts.observer?.breaker?.({ agency, state });
    });
    // /metrics `breaker_state{scope="agency",name=<slug>}`: the latest client of an agency is the one reported.
    registerBreaker('agency', agency, () => ({ closed: 0, 'half-open': 1, open: 2 } as const)[this.state]);
  }

  get state(): BreakerState {
    return STATE[this.breaker.state];
  }

  /** Runs one legacy call; `fn` gets an AbortSignal that fires at the attempt's deadline. */
  async run<T>(call: LegacyCall, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    let attempt = 0;
    const once = () => this.breaker.execute(() => this.bulkhead.execute(() => this.attempt(call, ++attempt, fn)));
    try {
      return await (call.kind === 'read' && this.settings.retries > 0 ? this.retry.execute(once) : once());
    } catch (err) {
      throw this.translate(call, err);
    }
  }

  private async attempt<T>(call: LegacyCall, attempt: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { agency } = this;
    try {
      const value = await this.timeout.execute((_ctx, signal) => fn(signal));
      this.opts.observer?.attempt?.({ agency, operation: call.operation, kind: call.kind, attempt, outcome: 'ok' });
      return value;
    } catch (raw) {
      const err = raw instanceof TaskCancelledError
        ? new AdapterError({ agency, operation: call.operation, code: 'SOURCE_TIMEOUT', detail: `no answer within ${this.settings.timeoutMs} ms`, cause: raw })
        : raw instanceof AdapterError ? raw : new AdapterError({ agency, operation: call.operation, code: 'SOURCE_UNAVAILABLE', cause: raw });
      const system = isSystemFailure(err);
      this.opts.observer?.attempt?.({ agency, operation: call.operation, kind: call.kind, attempt, outcome: system ? 'system-failure' : 'other-failure' });
      // Legacy detail (operation, status, driver error) belongs here, in the log, and nowhere a client reads.
      (system ? this.log.warn.bind(this.log) : this.log.info.bind(this.log))({ event: 'adapter.call_failed', attempt, kind: call.kind, ...(err as AdapterError).toLog() }, `${agency} ${call.operation} failed`);
      throw err;
    }
  }

  /** What a caller sees when the policy itself refused the call. */
  private translate(call: LegacyCall, err: unknown): unknown {
    const { agency } = this;
    if (err instanceof BrokenCircuitError) {
      this.opts.observer?.rejected?.({ agency, operation: call.operation, reason: 'breaker-open' });
      // Not a new failure of the system: it must not keep the breaker open by itself.
      return new AdapterError({ agency, operation: call.operation, code: 'SOURCE_UNAVAILABLE', systemFault: false, detail: 'circuit breaker open', cause: err });
    }
    if (err instanceof BulkheadRejectedError) {
      this.opts.observer?.rejected?.({ agency, operation: call.operation, reason: 'bulkhead-full' });
      this.log.warn({ event: 'adapter.bulkhead_full', agency, operation: call.operation }, `${agency} bulkhead full`);
      return new AdapterError({ agency, operation: call.operation, code: 'SOURCE_UNAVAILABLE', systemFault: false, detail: 'too many calls in flight', cause: err });
    }
    return err;
  }
}

/** The policy of an adapter client: its configured settings, or the defaults with its own timeout (tests that build a config by hand). */
export function policyFor(agency: string, config: { timeoutMs: number; resilience?: ResilienceSettings }, opts: LegacyPolicyOptions = {}): LegacyPolicy {
  return new LegacyPolicy(agency, config.resilience ?? { ...DEFAULT_RESILIENCE, timeoutMs: config.timeoutMs }, opts);
}

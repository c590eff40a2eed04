// How the gateway calls a subgraph. @apollo/gateway has no timeout, no retry and no circuit breaker,
// and would pass connection errors (with host:port) to clients; this data source adds all three
// (cockatiel policies, one set per subgraph) and turns every transport failure into a clean error naming
// the agency, so one agency down gives the client partial data and a SOURCE_UNAVAILABLE error, never a
// crash. The breaker watches the subgraph as a service (reachable, answering in time); what an answer
// says (a bad input, an agency's system down behind it) is the subgraph's to report, and its own
// breakers per legacy system handle that.
import { AsyncLocalStorage } from 'node:async_hooks';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  BrokenCircuitError, CircuitState, ConsecutiveBreaker, ExponentialBackoff, TaskCancelledError, TimeoutStrategy,
  circuitBreaker, handleWhen, retry, timeout, type CircuitBreakerPolicy, type RetryPolicy, type TimeoutPolicy,
} from 'cockatiel';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { Fetcher } from '@apollo/utils.fetcher';
import { ASSERTION_HEADER } from '../auth/assertion.js';
import { DEADLINE_HEADER, remaining } from '../platform/deadline.js';
import type { Logger } from '../platform/log.js';
import type { GatewayContext } from './context.js';
import { decodeDisclosures, DISCLOSURES_EXTENSION, DISCLOSURES_HEADER, DISCLOSURES_IN_BODY, type DisclosureEntry } from '../subgraphs/disclosures.js';
import { DEFAULT_MAX_REPRESENTATIONS } from '../subgraphs/harness.js';
import { coalesced } from './coalesce.js';
import { SpanKind } from '@opentelemetry/api';
import { inSpan, injectTraceHeaders, subgraphCalls } from '../platform/telemetry.js';

/** The subgraph did not answer as a service: it could not be reached, it answered 502/503/504, or the request's deadline cut it. */
class SubgraphTransportError extends Error {
  constructor(
    readonly code: 'SOURCE_TIMEOUT' | 'SOURCE_UNAVAILABLE' | 'SUBGRAPH_REFUSED',
    /** Counts against the subgraph's breaker: its own failure, not the request running out of time. */
    readonly countsAgainstSubgraph: boolean,
    /** The connection error code (ECONNREFUSED, ...) or the HTTP status, for the log only. */
    readonly detail?: string,
    cause?: unknown,
  ) {
    super(code);
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false });
  }
}

/** Answers the data source made up for a failed call, with the failure: for the subgraph call counter. */
const TRANSPORT_FAILURES = new WeakMap<object, string>();

/** Failures before the subgraph could have acted on the request: safe to try again for a read. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/** Statuses that say the subgraph (or a proxy in front of it) cannot serve now; any other answer is the subgraph working. */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/**
 * What the subgraph's breaker counts: its own timeout (cockatiel's TaskCancelledError), a transport
 * failure, 502/503/504. Never a GraphQL error inside an answer (a bad PNC, a withheld field, an agency
 * down behind the subgraph: the subgraph answered) and never a refusal of the request itself (4xx).
 */
export const isSubgraphFailure = (err: unknown) => err instanceof TaskCancelledError || (err instanceof SubgraphTransportError && err.countsAgainstSubgraph);

const isConnectionFailure = (err: unknown) => err instanceof SubgraphTransportError && err.countsAgainstSubgraph && CONNECTION_CODES.has(err.detail ?? '');

/** The abort signal of the call in progress, from cockatiel's timeout to the fetch (the gateway's data source has no other way to pass one). */
const callScope = new AsyncLocalStorage<{ signal: AbortSignal }>();

/** Global fetch under the call's timeout signal and never past the request's own deadline; transport failures become SubgraphTransportError. */
function subgraphFetch(timeoutMs: number): Fetcher {
  return (async (url: string, init: RequestInit) => {
    const deadline = Number(new Headers(init.headers as ConstructorParameters<typeof Headers>[0]).get(DEADLINE_HEADER)) || null;
    const deadlineSignal = AbortSignal.timeout(remaining(deadline, timeoutMs));
    const callSignal = callScope.getStore()?.signal;
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: callSignal ? AbortSignal.any([callSignal, deadlineSignal]) : deadlineSignal });
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: string } };
      // The request's deadline, not the subgraph's slowness: not the subgraph's failure.
      if (deadlineSignal.aborted) throw new SubgraphTransportError('SOURCE_TIMEOUT', false, 'REQUEST_DEADLINE', err);
      if (e.name === 'AbortError' || e.name === 'TimeoutError') throw new SubgraphTransportError('SOURCE_TIMEOUT', true, 'TIMEOUT', err);
      throw new SubgraphTransportError('SOURCE_UNAVAILABLE', true, e.cause?.code ?? 'FETCH_FAILED', err);
    }
    if (UNAVAILABLE_STATUSES.has(res.status)) {
      await res.body?.cancel().catch(() => undefined);
      throw new SubgraphTransportError('SOURCE_UNAVAILABLE', true, `HTTP ${res.status}`);
    }
    return res;
  }) as unknown as Fetcher;
}

/** Is the document a query (or a subscription)? Decided from the parsed operation, never from the text; a mutation is never sent twice. */
const readOnlyCache = new Map<string, boolean>();
export function isReadOnly(query: string, operationName?: string | null): boolean {
  const key = `${operationName ?? ''}\u0000${query}`;
  let v = readOnlyCache.get(key);
  if (v === undefined) {
    try {
      const ops = parse(query, { noLocation: true }).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
      v = op !== undefined && op.operation !== 'mutation';
    } catch {
      v = false;
    }
    // The planner sends a bounded set of documents per supergraph; the bound keeps a surprise from growing it.
    if (readOnlyCache.size > 5000) readOnlyCache.clear();
    readOnlyCache.set(key, v);
  }
  return v;
}

export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/**
 * One subgraph's resilience: a cockatiel circuit breaker (consecutive failures, then fail fast for the
 * cooldown, then one trial call), a timeout per call, and at most one retry of a read whose connection
 * failed before the subgraph could act on it, with jittered backoff.
 */
export class SubgraphResilience {
  readonly breaker: CircuitBreakerPolicy;
  private readonly timeout: TimeoutPolicy;
  private readonly retry: RetryPolicy;
  private openedAt = 0;

  constructor(readonly timeoutMs: number, readonly failures: number, readonly cooldownMs: number) {
    this.breaker = circuitBreaker(handleWhen(isSubgraphFailure), { halfOpenAfter: cooldownMs, breaker: new ConsecutiveBreaker(failures) });
    this.breaker.onBreak(() => { this.openedAt = Date.now(); });
    this.timeout = timeout(timeoutMs, TimeoutStrategy.Aggressive);
    this.retry = retry(handleWhen(isConnectionFailure), { maxAttempts: 1, backoff: new ExponentialBackoff({ initialDelay: 20, maxDelay: 200 }) });
  }

  /**
   * CLOSED, OPEN (failing fast), or HALF_OPEN once the cooldown has passed (the next call is the trial).
   * cockatiel says Open until a call arrives; readiness must not wait for traffic that an unready gateway never gets.
   */
  get state(): BreakerState {
    const s = this.breaker.state;
    if (s === CircuitState.Closed) return 'CLOSED';
    if (s === CircuitState.HalfOpen || Date.now() - this.openedAt >= this.cooldownMs) return 'HALF_OPEN';
    return 'OPEN';
  }

  get open(): boolean { return this.state === 'OPEN'; }

  /** Runs one subgraph call: `readOnly` calls may be retried once on a connection failure. */
  execute<T>(readOnly: boolean, call: () => Promise<T>): Promise<T> {
    const once = () => this.breaker.execute(() => this.timeout.execute(({ signal }) => callScope.run({ signal }, call)));
    return readOnly ? this.retry.execute(once) : once();
  }
}

export interface AgencyDataSourceOptions {
  name: string;
  url: string;
  resilience: SubgraphResilience;
  log: Logger;
  /** The subgraphs' cap on `_entities` representations per call; merged fetches stay under it. */
  maxRepresentations?: number;
}

export class AgencyDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly opts: AgencyDataSourceOptions;

  constructor(opts: AgencyDataSourceOptions) {
    super({ url: opts.url, fetcher: subgraphFetch(opts.resilience.timeoutMs) });
    this.opts = opts;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const ctx = context as Partial<GatewayContext>;
    // No assertion, no call: the subgraph would refuse it anyway, and nothing is sent unauthenticated.
    if (!ctx.assertionFor) throw new SubgraphTransportError('SUBGRAPH_REFUSED', false);
    // Bound to this request's document and variables exactly as they are sent.
    request.http!.headers.set(ASSERTION_HEADER, await ctx.assertionFor(this.opts.name, { query: request.query ?? '', variables: request.variables }));
    if (ctx.requestId) request.http!.headers.set('x-request-id', ctx.requestId);
    if (ctx.deadline) request.http!.headers.set(DEADLINE_HEADER, String(ctx.deadline));
    injectTraceHeaders(request.http!.headers);
  }

  /**
   * Takes the subgraph's disclosure report into the request's context (clients never see it): from the
   * response header, or from the body's extensions when the header says the report was too large for it
   * (or, from a subgraph of before the header, when there is no header). A header that cannot be read
   * fails the call: what the audit cannot record is not disclosed.
   */
  override didReceiveResponse({ response, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    const disclosures = (context as Partial<GatewayContext>).disclosures;
    const header = response.http?.headers.get(DISCLOSURES_HEADER) ?? null;
    const ext = response.extensions as Record<string, unknown> | undefined;
    let report: unknown;
    if (ext && ext[DISCLOSURES_EXTENSION] !== undefined) {
      if (header === null || header === DISCLOSURES_IN_BODY) report = ext[DISCLOSURES_EXTENSION];
      delete ext[DISCLOSURES_EXTENSION];
    }
    if (header && header !== DISCLOSURES_IN_BODY) {
      try { report = decodeDisclosures(header); } catch (err) {
        this.opts.log.error({ subgraph: this.opts.name, err: (err as Error).message }, 'unreadable disclosure report: answer withheld');
        return this.failedAnswer('SOURCE_UNAVAILABLE');
      }
    }
    if (Array.isArray(report) && Array.isArray(disclosures)) disclosures.push(...(report as DisclosureEntry[]));
    return response;
  }

  /** Entity fetches of one request to this subgraph in the same wave go as one call (see coalesce.ts). */
  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    return coalesced(this.opts.name, options, (o) => this.processOne(o as GraphQLDataSourceProcessOptions<GatewayContext>), { maxRepresentations: this.opts.maxRepresentations ?? DEFAULT_MAX_REPRESENTATIONS });
  }

  /** One call to the subgraph: a client span naming it, counted by outcome. */
  private processOne(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    return inSpan(`subgraph ${this.opts.name}`, { 'justice.subgraph': this.opts.name }, async () => {
      const response = await this.send(options);
      subgraphCalls.inc({ subgraph: this.opts.name, outcome: TRANSPORT_FAILURES.get(response as object) ?? 'ok' });
      return response;
    }, { kind: SpanKind.CLIENT });
  }

  private async send(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const { name, resilience, log } = this.opts;
    const readOnly = isReadOnly(options.request.query ?? '', options.request.operationName);
    try {
      return await resilience.execute(readOnly, () => super.process(options));
    } catch (err) {
      const status = (err as { extensions?: { response?: { status?: number } } }).extensions?.response?.status;
      const code = err instanceof SubgraphTransportError ? err.code
        : err instanceof TaskCancelledError ? 'SOURCE_TIMEOUT'
          : status === 401 || status === 403 ? 'SUBGRAPH_REFUSED' : 'SOURCE_UNAVAILABLE';
      // The detail (connection code, status) is for the operators; the client gets the agency and the code.
      const detail = err instanceof SubgraphTransportError ? err.detail : err instanceof BrokenCircuitError ? 'BREAKER_OPEN' : err instanceof TaskCancelledError ? 'SUBGRAPH_TIMEOUT' : status ? `HTTP ${status}` : (err as Error).message;
      log.warn({ subgraph: name, code, detail, breaker: resilience.state }, 'subgraph call failed');
      return this.failed(code);
    }
  }

  private failed(code: 'SOURCE_TIMEOUT' | 'SOURCE_UNAVAILABLE' | 'SUBGRAPH_REFUSED') {
    const { name } = this.opts;
    const answer = this.failedAnswer(code);
    TRANSPORT_FAILURES.set(answer, code);
    return answer;
  }

  private failedAnswer(code: 'SOURCE_TIMEOUT' | 'SOURCE_UNAVAILABLE' | 'SUBGRAPH_REFUSED') {
    const { name } = this.opts;
    const message = code === 'SOURCE_TIMEOUT' ? `The ${name} system did not answer in time`
      : code === 'SUBGRAPH_REFUSED' ? `The ${name} service refused the gateway` : `The ${name} system is unavailable`;
    return { errors: [{ message, extensions: { code: code === 'SUBGRAPH_REFUSED' ? 'INTERNAL_SERVER_ERROR' : code, agency: name } }] };
  }
}

// How the gateway calls a subgraph. @apollo/gateway has no timeout, no retry and no circuit breaker,
// and would pass connection errors (with host:port) to clients; this data source adds all three and
// turns every transport failure into a clean error naming the agency, so one agency down gives the
// client partial data and a SOURCE_UNAVAILABLE error, never a crash.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { ASSERTION_HEADER } from '../auth/assertion.js';
import { DEADLINE_HEADER, remaining } from '../platform/deadline.js';
import type { Logger } from '../platform/log.js';
import type { GatewayContext } from './context.js';
import { DISCLOSURES_EXTENSION, type DisclosureEntry } from '../subgraphs/disclosures.js';
import { DEFAULT_MAX_REPRESENTATIONS } from '../subgraphs/harness.js';
import { coalesced } from './coalesce.js';
import { SpanKind } from '@opentelemetry/api';
import { inSpan, injectTraceHeaders, subgraphCalls } from '../platform/telemetry.js';

export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;

  constructor(private readonly threshold: number, private readonly cooldownMs: number, private readonly now: () => number = Date.now) {}

  /** False while open: calls fail fast instead of piling onto a system that is down. One trial call passes after the cooldown. */
  allow(): boolean {
    if (this.openUntil === 0) return true;
    if (this.now() >= this.openUntil) { this.openUntil = this.now() + this.cooldownMs; return true; }
    return false;
  }

  success(): void { this.failures = 0; this.openUntil = 0; }

  failure(): void {
    if (++this.failures >= this.threshold) this.openUntil = this.now() + this.cooldownMs;
  }

  get open(): boolean { return this.openUntil !== 0 && this.now() < this.openUntil; }
}

class SubgraphTransportError extends Error {
  constructor(readonly code: 'SOURCE_TIMEOUT' | 'SOURCE_UNAVAILABLE' | 'SUBGRAPH_REFUSED', cause?: unknown) {
    super(code);
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false });
  }
}

/** Answers the data source made up for a failed call, with the failure: for the subgraph call counter. */
const TRANSPORT_FAILURES = new WeakMap<object, string>();

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** Global fetch with a deadline; a connection refused or reset before any answer is retried once (queries only read). */
function timedFetch(timeoutMs: number): Fetcher {
  const once = async (url: string, init: RequestInit) => {
    // Never past the request's own deadline, which the subgraph call carries.
    const deadline = Number(new Headers(init.headers as ConstructorParameters<typeof Headers>[0]).get(DEADLINE_HEADER)) || null;
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(remaining(deadline, timeoutMs)) });
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new SubgraphTransportError('SOURCE_TIMEOUT', err);
      throw new SubgraphTransportError(CONNECTION_CODES.has(e.cause?.code ?? '') ? 'SOURCE_UNAVAILABLE' : 'SOURCE_UNAVAILABLE', err);
    }
  };
  return (async (url: string, init: RequestInit) => {
    try {
      return await once(url, init);
    } catch (err) {
      if (err instanceof SubgraphTransportError && err.code === 'SOURCE_UNAVAILABLE' && init.method === 'POST' && !/^\s*mutation\b/.test(String(init.body ?? '').slice(10, 40))) {
        return once(url, init);
      }
      throw err;
    }
  }) as unknown as Fetcher;
}

export interface AgencyDataSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  breaker: CircuitBreaker;
  log: Logger;
  /** The subgraphs' cap on `_entities` representations per call; merged fetches stay under it. */
  maxRepresentations?: number;
}

export class AgencyDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly opts: AgencyDataSourceOptions;

  constructor(opts: AgencyDataSourceOptions) {
    super({ url: opts.url, fetcher: timedFetch(opts.timeoutMs) });
    this.opts = opts;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const ctx = context as Partial<GatewayContext>;
    // No assertion, no call: the subgraph would refuse it anyway, and nothing is sent unauthenticated.
    if (!ctx.assertionFor) throw new SubgraphTransportError('SUBGRAPH_REFUSED');
    // Bound to this request's document and variables exactly as they are sent.
    request.http!.headers.set(ASSERTION_HEADER, await ctx.assertionFor(this.opts.name, { query: request.query ?? '', variables: request.variables }));
    if (ctx.requestId) request.http!.headers.set('x-request-id', ctx.requestId);
    if (ctx.deadline) request.http!.headers.set(DEADLINE_HEADER, String(ctx.deadline));
    injectTraceHeaders(request.http!.headers);
  }

  /** Takes the subgraph's disclosure report out of the response (clients never see it) into the request's context. */
  override didReceiveResponse({ response, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    const ext = response.extensions as Record<string, unknown> | undefined;
    const report = ext?.[DISCLOSURES_EXTENSION];
    if (ext && report !== undefined) {
      delete ext[DISCLOSURES_EXTENSION];
      if (Array.isArray(report) && Array.isArray((context as Partial<GatewayContext>).disclosures)) (context as GatewayContext).disclosures.push(...(report as DisclosureEntry[]));
    }
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
    const { name, breaker, log } = this.opts;
    if (!breaker.allow()) return this.failed('SOURCE_UNAVAILABLE');
    try {
      const response = await super.process(options);
      breaker.success();
      return response;
    } catch (err) {
      const status = (err as { extensions?: { response?: { status?: number } } }).extensions?.response?.status;
      const code = err instanceof SubgraphTransportError ? err.code : status === 401 || status === 403 ? 'SUBGRAPH_REFUSED' : 'SOURCE_UNAVAILABLE';
      if (code !== 'SUBGRAPH_REFUSED') breaker.failure();
      log.warn({ subgraph: name, code, status }, 'subgraph call failed');
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
    const message = code === 'SOURCE_TIMEOUT' ? `The ${name} service did not answer in time`
      : code === 'SUBGRAPH_REFUSED' ? `The ${name} service refused the gateway` : `The ${name} service is unavailable`;
    return { errors: [{ message, extensions: { code: code === 'SUBGRAPH_REFUSED' ? 'INTERNAL_SERVER_ERROR' : code, agency: name } }] };
  }
}

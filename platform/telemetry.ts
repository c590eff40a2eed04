// Tracing and metrics for every component. Tracing is the OpenTelemetry SDK: off (the API's no-op
// tracer, nothing exported) unless an OTLP endpoint is configured or a test installs an exporter; W3C
// trace context travels gateway → subgraph → legacy system in `traceparent` headers. Metrics are
// prom-client series in one registry that the gateway serves on /metrics.
//
// Labels never carry a person, a value, a host or a client-chosen string beyond a bounded set: agency
// and operation names are the adapters' stable operation names, GraphQL operation names are cut to a
// short identifier and capped in number.
import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const TRACER = 'justice-graph';

export interface TracingOptions {
  /** The service name traces are reported under (`justice-graph`, `justice-graph-gateway`, …). */
  serviceName: string;
  /** OTLP/HTTP base URL (as OTEL_EXPORTER_OTLP_ENDPOINT); traces go to `<endpoint>/v1/traces`. */
  otlpEndpoint?: string | null;
  /** An exporter to use instead (tests: an in-memory exporter, spans exported as they end). */
  exporter?: SpanExporter;
}

let provider: NodeTracerProvider | null = null;

/**
 * Turns tracing on for this process when an endpoint or exporter is given; otherwise leaves it off and
 * returns null. Calling it again while on returns the running provider's shutdown.
 */
export function startTracing(opts: TracingOptions): { shutdown(): Promise<void> } | null {
  if (provider) return { shutdown: stopTracing };
  const endpoint = opts.otlpEndpoint?.replace(/\/+$/, '') || null;
  const exporter = opts.exporter ?? (endpoint ? new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }) : null);
  if (!exporter) return null;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': opts.serviceName }),
    spanProcessors: [opts.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return { shutdown: stopTracing };
}

export async function stopTracing(): Promise<void> {
  const p = provider;
  provider = null;
  if (!p) return;
  await p.forceFlush().catch(() => undefined);
  await p.shutdown().catch(() => undefined);
  trace.disable();
  propagation.disable();
  context.disable();
}

export const tracer = () => trace.getTracer(TRACER);

/** The active trace id, or null when tracing is off (the no-op tracer's all-zero id counts as none). */
export function currentTraceId(): string | null {
  const id = trace.getActiveSpan()?.spanContext().traceId;
  return id && !/^0+$/.test(id) ? id : null;
}

/** Writes the active trace context into outgoing headers (a `Headers`, or a plain object). */
export function injectTraceHeaders(headers: { set(key: string, value: string): void } | Record<string, string>): void {
  propagation.inject(context.active(), headers, {
    set: (carrier, key, value) => {
      if (typeof (carrier as { set?: unknown }).set === 'function') (carrier as { set(k: string, v: string): void }).set(key, value);
      else (carrier as Record<string, string>)[key] = value;
    },
  });
}

/** The trace context an incoming request carries (node:http header object). */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers, {
    get: (carrier, key) => { const v = carrier[key]; return Array.isArray(v) ? v[0] : v; },
    keys: (carrier) => Object.keys(carrier),
  });
}

/** Runs `fn` in a new span, ending it with an error status when `fn` throws. */
export async function inSpan<T>(name: string, attributes: Record<string, string | number | boolean>, fn: (span: Span) => Promise<T>, opts: { kind?: SpanKind; parent?: Context } = {}): Promise<T> {
  return tracer().startActiveSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes }, opts.parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      const code = (err as { code?: unknown; extensions?: { code?: unknown } })?.code ?? (err as { extensions?: { code?: unknown } })?.extensions?.code;
      span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'error' });
      throw err;
    } finally {
      span.end();
    }
  });
}

// ---- metrics ------------------------------------------------------------------------------------

/** The process's one metrics registry (the gateway serves it on /metrics). */
export const metrics = new Registry();
collectDefaultMetrics({ register: metrics, prefix: 'justice_graph_' });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const graphqlRequests = new Counter({ name: 'graphql_requests_total', help: 'Client GraphQL requests answered by the gateway, by operation and outcome', labelNames: ['operation', 'outcome'] as const, registers: [metrics] });
export const graphqlDuration = new Histogram({ name: 'graphql_request_duration_seconds', help: 'Time to answer a client GraphQL request, by operation and outcome', labelNames: ['operation', 'outcome'] as const, buckets: SECONDS, registers: [metrics] });
export const legacyCalls = new Counter({ name: 'legacy_calls_total', help: 'Calls to the agencies\' own systems, by agency, operation and outcome (ok or an error code)', labelNames: ['agency', 'operation', 'outcome'] as const, registers: [metrics] });
export const legacyDuration = new Histogram({ name: 'legacy_call_duration_seconds', help: 'Latency of calls to the agencies\' own systems, by agency and operation', labelNames: ['agency', 'operation'] as const, buckets: SECONDS, registers: [metrics] });
export const subgraphCalls = new Counter({ name: 'subgraph_calls_total', help: 'Gateway calls to subgraphs, by subgraph and outcome', labelNames: ['subgraph', 'outcome'] as const, registers: [metrics] });
export const auditAppendDuration = new Histogram({ name: 'audit_append_duration_seconds', help: 'Time to append one audit record durably', buckets: SECONDS, registers: [metrics] });
export const auditAppendFailures = new Counter({ name: 'audit_append_failures_total', help: 'Audit records that could not be appended (the response was withheld)', registers: [metrics] });
export const withheldFields = new Counter({ name: 'withheld_fields_total', help: 'Field decisions that withheld data, by owning agency and reason', labelNames: ['agency', 'reason'] as const, registers: [metrics] });
export const refusedRequests = new Counter({ name: 'refused_requests_total', help: 'Requests refused at the gateway before any agency was asked, by code and limit', labelNames: ['code', 'limit'] as const, registers: [metrics] });

/** Breakers report their own state when scraped: 0 closed, 1 half-open, 2 open. */
const breakerSources = new Map<string, () => number>();
new Gauge({
  name: 'breaker_state', help: 'Circuit breaker state by scope (gateway or agency) and name: 0 closed, 1 half-open, 2 open', labelNames: ['scope', 'name'] as const, registers: [metrics],
  collect() {
    this.reset();
    for (const [key, read] of breakerSources) {
      const [scope, name] = key.split('\u0000');
      this.set({ scope, name }, read());
    }
  },
});

/** Registers a breaker's state for /metrics; the returned function removes it (when its owner closes). */
export function registerBreaker(scope: string, name: string, state: () => number): () => void {
  const key = `${scope}\u0000${name}`;
  breakerSources.set(key, state);
  return () => { if (breakerSources.get(key) === state) breakerSources.delete(key); };
}

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const seenOperations = new Set<string>();
const MAX_OPERATION_LABELS = 200;

/** A GraphQL operation name as a metric label: a short identifier, `anonymous`, or `other` once 200 distinct names were seen. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (!OPERATION_NAME.test(name)) return 'other';
  if (seenOperations.has(name)) return name;
  if (seenOperations.size >= MAX_OPERATION_LABELS) return 'other';
  seenOperations.add(name);
  return name;
}

/**
 * One call to an agency's own system, traced and counted: a client span named after the agency and
 * operation, `legacy_calls_total` by outcome (`ok` or the AdapterError code) and its latency.
 */
export function legacyCall<T>(agency: string, operation: string, run: () => Promise<T>, outcomeOf?: (result: T) => string): Promise<T> {
  const started = process.hrtime.bigint();
  return inSpan(`${agency} ${operation}`, { 'justice.agency': agency, 'justice.operation': operation }, async () => {
    let outcome = 'ok';
    try {
      const result = await run();
      if (outcomeOf) outcome = outcomeOf(result);
      return result;
    } catch (err) {
      const code = (err as { code?: unknown })?.code;
      outcome = typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : 'ERROR';
      throw err;
    } finally {
      legacyCalls.inc({ agency, operation, outcome });
      legacyDuration.observe({ agency, operation }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }, { kind: SpanKind.CLIENT });
}

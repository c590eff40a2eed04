// What an operator sees of the README example: one trace from the gateway through every subgraph to
// every legacy call, each span naming its agency; the audit record carrying the trace id; and /metrics
// counting requests, legacy calls per agency, breakers, audit appends, withheld fields and refusals.
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '../../platform/stack.js';
import { startTracing, stopTracing } from '../../platform/telemetry.js';
import { callsPerAgency, readmeQuery, resetCounts } from '../helpers/legacy-calls.js';
import { post, query } from '../helpers/stack.js';

const exporter = new InMemorySpanExporter();
let stack: Stack;

beforeAll(async () => {
  startTracing({ serviceName: 'justice-graph-test', exporter });
  stack = await startStack({ population: { size: 200 }, logLevel: 'silent' });
  // OAuth tokens fetched once, outside the counted request.
  await query(stack, 'POLICE', readmeQuery(), { pnc: stack.population.people[stack.population.examples.everywhere].pnc });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await stopTracing();
});

const metricsUrl = () => new URL('/metrics', stack.gatewayUrl).toString();
async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl());
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}
/** The value of one series (0 when absent), e.g. value(text, 'legacy_calls_total', { agency: 'police' }) summed over other labels. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const ls = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => ls[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

describe('a trace of the README example', () => {
  let spans: ReadableSpan[];
  let traceId: string;
  let calls: Record<string, number>;

  beforeAll(async () => {
    exporter.reset();
    resetCounts(stack);
    const r = await query(stack, 'POLICE', readmeQuery(), { pnc: stack.population.people[stack.population.examples.everywhere].pnc });
    expect(r.status).toBe(200);
    calls = callsPerAgency(stack);
    // The gateway's server span ends after the response is written: wait for it, not for a clock.
    await vi.waitFor(() => { if (!exporter.getFinishedSpans().some((s) => s.name === 'POST /graphql' && !s.parentSpanContext)) throw new Error('no root span yet'); }, { timeout: 10_000, interval: 20 });
    const root = exporter.getFinishedSpans().find((s) => s.name === 'POST /graphql' && !s.parentSpanContext)!;
    traceId = root.spanContext().traceId;
    spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  });

  it('has one span per legacy call, named after its agency and operation, all in the request\'s trace', () => {
    const legacy = spans.filter((s) => s.attributes['justice.agency'] !== undefined && !/oauth/i.test(String(s.attributes['justice.operation'])));
    const perAgency: Record<string, number> = {};
    for (const s of legacy) perAgency[String(s.attributes['justice.agency'])] = (perAgency[String(s.attributes['justice.agency'])] ?? 0) + 1;
    // The stand-ins' own request logs are the independent count. The victims system is an export folder
    // read in place: its spans are file reads, which no server logs.
    for (const [agency, n] of Object.entries(calls)) if (agency !== 'victims') expect(perAgency[agency] ?? 0, `${agency} legacy spans`).toBe(n);
    expect(perAgency.victims, 'victims export reads').toBeGreaterThan(0);
    expect(legacy.length).toBeGreaterThan(3);
    for (const s of legacy) expect(s.name).toBe(`${s.attributes['justice.agency']} ${s.attributes['justice.operation']}`);
  });

  it('has a span for every subgraph call the gateway made, and each subgraph\'s server span continues the trace', () => {
    const calls = spans.filter((s) => s.name.startsWith('subgraph '));
    const names = new Set(calls.map((s) => String(s.attributes['justice.subgraph'])));
    for (const n of ['identity', 'police', 'courts', 'prisons', 'probation']) expect(names, n).toContain(n);
    // Every subgraph call has a server span under it: the traceparent header crossed the wire.
    for (const c of calls) expect(spans.some((s) => s.parentSpanContext?.spanId === c.spanContext().spanId && s.name === 'POST /graphql'), c.name).toBe(true);
  });

  it('is the trace the audit record names', async () => {
    const head = await stack.audit.store.head();
    const rec = (await stack.audit.store.readRange(head!.seq, 1))[0];
    expect(rec.traceId).toBe(traceId);
  });
});

describe('/metrics', () => {
  it('counts the example\'s requests, legacy calls per agency and audit appends, and shows breakers closed', async () => {
    const before = await scrape();
    resetCounts(stack);
    await query(stack, 'POLICE', readmeQuery(), { pnc: stack.population.people[stack.population.examples.everywhere].pnc });
    const calls = callsPerAgency(stack);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    expect(delta('graphql_requests_total', { operation: 'Person' })).toBe(1);
    expect(delta('graphql_request_duration_seconds_count')).toBe(1);
    for (const [agency, n] of Object.entries(calls)) {
      if (agency === 'victims') continue; // the export is read once and kept until it changes
      expect(delta('legacy_calls_total', { agency }), agency).toBeGreaterThanOrEqual(n);
    }
    expect(delta('audit_append_duration_seconds_count')).toBe(1);
    expect(value(after, 'breaker_state', { scope: 'gateway', name: 'police' })).toBe(0);
    expect(after).toMatch(/^breaker_state\{scope="gateway",name="identity"\} 0$/m);
  });

  it('counts withheld fields by agency and reason, and refused requests by limit', async () => {
    const before = await scrape();
    const pnc = stack.population.people[stack.population.examples.everywhere].pnc;
    // A police officer may not see a victim's address: withheld, NOT_PERMITTED.
    await query(stack, 'POLICE', 'query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { cases { victims { address { postcode } } } } }', { pnc });
    const token = await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] });
    const aliases = Array.from({ length: 150 }, (_x, i) => `a${i}: personByIdentifier(type: PNC, value: "${pnc}") { id }`).join(' ');
    const refused = await post(stack.gatewayUrl, { query: `{ ${aliases} }` }, { authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const after = await scrape();
    expect(value(after, 'withheld_fields_total', { reason: 'NOT_PERMITTED' }) - value(before, 'withheld_fields_total', { reason: 'NOT_PERMITTED' })).toBeGreaterThan(0);
    expect(value(after, 'refused_requests_total') - value(before, 'refused_requests_total')).toBe(1);
  });

  it('carries no person, value or host', async () => {
    const text = await scrape();
    const p = stack.population.people[stack.population.examples.everywhere];
    for (const secret of [p.surname, p.pnc!, '127.0.0.1', 'localhost']) expect(text).not.toContain(secret);
  });
});

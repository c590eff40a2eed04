// Tracing over the real wire: with an OTLP endpoint configured, spans are exported to it over OTLP/HTTP;
// without one, nothing is exported and no trace id is made up. Metric labels stay bounded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTraceId, inSpan, operationLabel, startTracing, stopTracing } from '../../platform/telemetry.js';

const received: { path: string; type: string; body: Buffer }[] = [];
let server: http.Server;
let endpoint: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { received.push({ path: req.url ?? '', type: String(req.headers['content-type']), body: Buffer.concat(chunks) }); res.writeHead(200, { 'content-type': 'application/json' }).end('{}'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await stopTracing();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('tracing', () => {
  it('is off without an endpoint: no provider, no trace id', async () => {
    expect(startTracing({ serviceName: 'off', otlpEndpoint: null })).toBeNull();
    await inSpan('nothing', {}, async () => expect(currentTraceId()).toBeNull());
  });

  it('exports spans to the configured OTLP endpoint, with their trace id', async () => {
    expect(startTracing({ serviceName: 'justice-graph-test', otlpEndpoint: `${endpoint}/` })).not.toBeNull();
    let id: string | null = null;
    await inSpan('police SELECT NOMINALS', { 'justice.agency': 'police' }, async () => { id = currentTraceId(); });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    await stopTracing(); // flushes the batch
    const sent = received.filter((r) => r.path === '/v1/traces');
    expect(sent).toHaveLength(1);
    const text = sent[0].body.toString('utf8');
    expect(text).toContain('police SELECT NOMINALS');
    expect(text).toContain('justice-graph-test');
  });
});

describe('metric labels', () => {
  it('keep GraphQL operation names short identifiers, and nothing else', () => {
    expect(operationLabel('Person')).toBe('Person');
    expect(operationLabel(null)).toBe('anonymous');
    expect(operationLabel('Smith 01/02/1980')).toBe('other');
    expect(operationLabel('x'.repeat(65))).toBe('other');
  });
});

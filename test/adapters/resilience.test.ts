// The resilience policy of one legacy system: what opens its breaker (the system's own failures only),
// what closes it, what is retried (declared reads only), and what reaches the system (counted calls).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { statusError } from '../../adapters/http.js';
import { DEFAULT_RESILIENCE, LegacyPolicy, resilienceSettings, type BreakerState, type ResilienceSettings } from '../../adapters/resilience.js';
import { RestClient } from '../../adapters/rest.js';
import { sqlQuery, type SqlExecutor } from '../../adapters/sql.js';

const log = pino({ level: 'silent' });
const settings = (over: Partial<ResilienceSettings> = {}): ResilienceSettings => ({ ...DEFAULT_RESILIENCE, timeoutMs: 200, breakerFailures: 3, breakerCooldownMs: 5000, retries: 0, retryDelayMs: 1, ...over });

/** A policy with an observer recording its breaker's states, and a legacy call that counts how often it ran. */
function harness(over: Partial<ResilienceSettings> = {}) {
  const states: BreakerState[] = [];
  const policy = new LegacyPolicy('testagency', settings(over), { log, observer: { breaker: (e) => states.push(e.state) } });
  let calls = 0;
  const call = <T>(outcome: () => T | Promise<T>, kind: 'read' | 'write' = 'read') =>
    policy.run({ operation: 'GET /things/{id}', kind }, async () => { calls++; return outcome(); });
  return { policy, states, call, calls: () => calls };
}
const failWith = (err: unknown) => () => { throw err; };
const unavailable = () => statusError('testagency', 'GET /things/{id}', 503);
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e: AdapterError) => e.code);

afterEach(() => vi.useRealTimers());

describe('the breaker of one legacy system', () => {
  it('opens after consecutive failures of the system (5xx) and then refuses without calling it', async () => {
    const h = harness();
    for (let i = 0; i < 3; i++) expect(await outcome(h.call(failWith(unavailable())))).toBe('SOURCE_UNAVAILABLE');
    expect(h.policy.state).toBe('open');
    const refused = await h.call(() => 'never').catch((e: AdapterError) => e);
    expect(refused).toBeInstanceOf(AdapterError);
    expect((refused as AdapterError).extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', agency: 'testagency' });
    expect(h.calls()).toBe(3);
    expect(h.states).toEqual(['open']);
  });

  it('opens on timeouts, and gives up each call at its deadline however slow the system is', async () => {
    const h = harness({ timeoutMs: 50 });
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      expect(await outcome(h.call(() => new Promise(() => {})))).toBe('SOURCE_TIMEOUT');
      expect(performance.now() - started).toBeLessThan(1000);
    }
    expect(h.policy.state).toBe('open');
  });

  it('half-opens after the cool-down and closes on one successful call', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const h = harness({ breakerCooldownMs: 1000 });
    for (let i = 0; i < 3; i++) await outcome(h.call(failWith(unavailable())));
    expect(await outcome(h.call(() => 'ok'))).toBe('SOURCE_UNAVAILABLE'); // still cooling down
    vi.setSystemTime(Date.now() + 1001);
    expect(await h.call(() => 'answer')).toBe('answer');
    expect(h.policy.state).toBe('closed');
    expect(h.states).toEqual(['open', 'half-open', 'closed']);
    expect(h.calls()).toBe(4);
  });

  it('opens again at once when the trial call after the cool-down fails', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const h = harness({ breakerCooldownMs: 1000 });
    for (let i = 0; i < 3; i++) await outcome(h.call(failWith(unavailable())));
    vi.setSystemTime(Date.now() + 1001);
    expect(await outcome(h.call(failWith(unavailable())))).toBe('SOURCE_UNAVAILABLE');
    expect(h.states).toEqual(['open', 'half-open', 'open']);
  });

  it.each([
    ['a 400 the request caused', () => statusError('testagency', 'POST /search', 400)],
    ['a 422 the request caused', () => statusError('testagency', 'POST /search', 422)],
    ['a record that does not exist (404)', () => statusError('testagency', 'GET /things/{id}', 404)],
    ['a record that cannot be read', () => new AdapterError({ agency: 'testagency', operation: 'GET /things/{id}', code: 'BAD_SOURCE_DATA', recordId: 'T1' })],
    ['a SOAP Client fault', () => new AdapterError({ agency: 'testagency', operation: 'GetThings', code: 'SOURCE_UNAVAILABLE', systemFault: false })],
    ['credentials refused', () => statusError('testagency', 'GET /things/{id}', 401)],
  ])('never opens on %s, however many', async (_label, error) => {
    const h = harness();
    for (let i = 0; i < 20; i++) await outcome(h.call(failWith(error())));
    expect(h.policy.state).toBe('closed');
    expect(h.calls()).toBe(20);
    expect(h.states).toEqual([]);
  });

  it('counts only consecutive system failures: an answer in between starts the count again', async () => {
    const h = harness();
    for (let i = 0; i < 10; i++) {
      await outcome(h.call(failWith(unavailable())));
      await outcome(h.call(failWith(unavailable())));
      await h.call(() => 'ok');
    }
    expect(h.policy.state).toBe('closed');
  });
});

describe('retries', () => {
  it('retries a read once after a system failure, and the retry can answer', async () => {
    const h = harness({ retries: 1 });
    let n = 0;
    expect(await h.call(() => (++n === 1 ? failWith(unavailable())() : 'second time'))).toBe('second time');
    expect(h.calls()).toBe(2);
  });

  it('never retries a write', async () => {
    const h = harness({ retries: 2 });
    expect(await outcome(h.call(failWith(unavailable()), 'write'))).toBe('SOURCE_UNAVAILABLE');
    expect(h.calls()).toBe(1);
  });

  it('never retries a read that failed because of the request or the record', async () => {
    const h = harness({ retries: 2 });
    await outcome(h.call(failWith(statusError('testagency', 'POST /search', 400))));
    await outcome(h.call(failWith(new AdapterError({ agency: 'testagency', operation: 'x', code: 'BAD_SOURCE_DATA' }))));
    expect(h.calls()).toBe(2);
  });

  it('stops retrying once the breaker is open', async () => {
    const h = harness({ retries: 5, breakerFailures: 2 });
    expect(await outcome(h.call(failWith(unavailable())))).toBe('SOURCE_UNAVAILABLE');
    expect(h.calls()).toBe(2);
    expect(h.policy.state).toBe('open');
  });
});

describe('the bulkhead', () => {
  it('refuses a call beyond its slots and queue without calling the system, and that refusal opens nothing', async () => {
    const h = harness({ concurrency: 1, queue: 0 });
    let release!: () => void;
    const first = h.call(() => new Promise<string>((r) => { release = () => r('first'); }));
    for (let i = 0; i < 5; i++) expect(await outcome(h.call(() => 'never'))).toBe('SOURCE_UNAVAILABLE');
    release();
    expect(await first).toBe('first');
    expect(h.calls()).toBe(1);
    expect(h.policy.state).toBe('closed');
  });
});

describe('what a client reads of a legacy failure', () => {
  it('names the agency and a stable code; the status and operation stay in the log fields', () => {
    const err = statusError('prisons', 'POST /attribute-search', 503);
    expect(err.message).toBe('prisons system is unavailable');
    expect(JSON.stringify({ message: err.message, extensions: err.extensions })).not.toMatch(/503|attribute-search|POST/);
    expect(err.toLog()).toMatchObject({ operation: 'POST /attribute-search', detail: 'HTTP 503', systemFault: true });
  });

  it('classifies statuses: 5xx, 408 and 429 are the system failing; other 4xx are not', () => {
    const fault = (s: number) => statusError('x', 'op', s).systemFault;
    expect([500, 502, 503, 504, 408, 429].map(fault)).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 409, 413, 422].map(fault)).toEqual([false, false, false, false, false, false, false]);
  });

  it('classifies database errors: connection and server faults count, a refused statement does not', async () => {
    const failing = (code: string): SqlExecutor => ({ query: async () => { throw Object.assign(new Error('x'), { code }); }, close: async () => {} });
    const run = (code: string) => sqlQuery(failing(code), { agency: 'police', operation: 'nominals by id', text: 'SELECT 1', timeoutMs: 100 }).then(() => { throw new Error('expected a failure'); }, (e: AdapterError) => e);
    expect((await run('08006')).systemFault).toBe(true);
    expect((await run('XX001')).systemFault).toBe(true);
    expect((await run('57014')).systemFault).toBe(true);
    expect((await run('22007')).systemFault).toBe(false);
    expect((await run('42601')).systemFault).toBe(false);
  });
});

describe('settings', () => {
  it('reads each setting from the agency prefix and refuses a bad one naming it', () => {
    expect(resilienceSettings({ PRISONS_BREAKER_FAILURES: '7', PRISONS_RETRIES: '0', PRISONS_TIMEOUT_MS: '900' }, 'prisons'))
      .toEqual({ ...DEFAULT_RESILIENCE, breakerFailures: 7, retries: 0, timeoutMs: 900 });
    expect(() => resilienceSettings({ PRISONS_CONCURRENCY: 'lots' }, 'prisons')).toThrow(/PRISONS_CONCURRENCY must be a whole number from 1 to 1000, got "lots"/);
    expect(() => resilienceSettings({ PRISONS_RETRIES: '50' }, 'prisons')).toThrow(/PRISONS_RETRIES/);
  });
});

describe('through the REST helper against a real HTTP server', () => {
  let server: Server;
  let base: string;
  let status = 503;
  let received = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => { received++; res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{"ok":true}' : '{"developerMessage":"ORA-00942 at db01"}'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('stops sending calls to a failing system once its breaker is open, and retries only what the adapter declared a read', async () => {
    const policy = new LegacyPolicy('testagency', settings({ breakerFailures: 4, retries: 1 }), { log });
    const rest = new RestClient({ agency: 'testagency', baseUrl: base, credentials: null, policy });
    status = 503;
    received = 0;
    await expect(rest.post('/things/search', { q: 1 }, { kind: 'read' })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect(received).toBe(2); // a declared read: retried once
    await expect(rest.post('/things', { name: 'x' })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect(received).toBe(3); // a POST not declared a read: never retried
    await expect(rest.get('/things/1')).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect(received).toBe(4); // the fourth failure opened the breaker: no retry
    expect(policy.state).toBe('open');
    status = 200;
    for (let i = 0; i < 5; i++) await expect(rest.get('/things/1')).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE', message: 'testagency system is unavailable' });
    expect(received).toBe(4);
  });

  it('keeps a system answering 400 to a caller\'s bad requests open for everyone else', async () => {
    const policy = new LegacyPolicy('testagency', settings({ breakerFailures: 2, retries: 1 }), { log });
    const rest = new RestClient({ agency: 'testagency', baseUrl: base, credentials: null, policy });
    status = 400;
    received = 0;
    for (let i = 0; i < 10; i++) await expect(rest.get('/things/1')).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    expect(received).toBe(10);
    expect(policy.state).toBe('closed');
    status = 200;
    await expect(rest.get('/things/1')).resolves.toEqual({ ok: true });
  });
});

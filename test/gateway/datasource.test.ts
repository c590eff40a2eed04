import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../gateway/datasource.js';
import { loadGatewayConfig } from '../../gateway/config.js';

describe('the circuit breaker', () => {
  it('opens after the configured run of failures and fails fast until the cooldown passes', () => {
    let now = 0;
    const b = new CircuitBreaker(3, 1000, () => now);
    b.failure(); b.failure();
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.open).toBe(true);
    expect(b.allow()).toBe(false);
    now = 1000;
    expect(b.allow()).toBe(true); // one trial call
    expect(b.allow()).toBe(false); // and only one
    b.success();
    expect(b.open).toBe(false);
    expect(b.allow()).toBe(true);
  });
});

describe('gateway configuration', () => {
  it('has safe embedded defaults in development', () => {
    const c = loadGatewayConfig({}, ['police']);
    expect(c).toMatchObject({ host: '127.0.0.1', port: 4000, subgraphTimeoutMs: 5000, production: false });
  });
  it('refuses to start in production without keys, JWKS and subgraph URLs, naming each', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' }, ['police'])).toThrow(/AUTH_JWKS_URL.*AUTH_ISSUER.*GATEWAY_ASSERTION_KEY.*POLICE_SUBGRAPH_URL/);
  });
  it('names a malformed variable', () => {
    expect(() => loadGatewayConfig({ GATEWAY_SUBGRAPH_TIMEOUT_MS: 'soon' }, [])).toThrow(/GATEWAY_SUBGRAPH_TIMEOUT_MS/);
    expect(() => loadGatewayConfig({ POLICE_SUBGRAPH_URL: 'ftp://x' }, ['police'])).toThrow(/POLICE_SUBGRAPH_URL/);
  });
});

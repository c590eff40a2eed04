// The loopback round-robin front of start:distributed: requests alternate between upstreams untouched,
// and an upstream that cannot be reached is a 502 that names neither the upstream nor the cause.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startRoundRobin, type RoundRobin } from '../../platform/round-robin.js';

const servers: Server[] = [];
let front: RoundRobin | undefined;
afterEach(async () => {
  await front?.close();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** An upstream that answers with its name, the method, path, one header and the body it received. */
async function upstream(name: string): Promise<string> {
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream-test': name });
      res.end(JSON.stringify({ name, method: req.method, path: req.url, purpose: req.headers['x-purpose'], body }));
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/graphql`;
}

/** A loopback URL where nothing listens: a port that was free a moment ago. */
async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}/graphql`;
}

describe('the round-robin front', () => {
  it('sends requests to each upstream in turn, with method, path, headers and body untouched', async () => {
    front = await startRoundRobin([await upstream('a'), await upstream('b')]);
    const answers: { name: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(front.url, { method: 'POST', headers: { 'x-purpose': 'AUDIT', 'content-type': 'application/json' }, body: `{"n":${i}}` });
      answers.push((await res.json()) as { name: string });
    }
    expect(answers.map((a) => a.name)).toEqual(['a', 'b', 'a', 'b']);
    expect(answers[3]).toEqual({ name: 'b', method: 'POST', path: '/graphql', purpose: 'AUDIT', body: '{"n":3}' });
    expect(front.served()).toEqual([2, 2]);
  });

  it('answers 502 GATEWAY_UNAVAILABLE naming no host when an upstream cannot be reached, and goes on with the others', async () => {
    const dead = await deadUrl();
    front = await startRoundRobin([dead, await upstream('b')]);
    const down = await fetch(front.url, { method: 'POST', body: '{}' });
    expect(down.status).toBe(502);
    const text = await down.text();
    expect(JSON.parse(text)).toMatchObject({ errors: [{ extensions: { code: 'GATEWAY_UNAVAILABLE' } }] });
    expect(text).not.toContain(new URL(dead).port);
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    expect(((await (await fetch(front.url, { method: 'POST', body: '{}' })).json()) as { name: string }).name).toBe('b');
  });
});

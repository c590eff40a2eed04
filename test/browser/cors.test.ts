// A browser app on another origin, in a real Chromium: a page served from a second port-0 server on the
// allow-list runs the README query against the gateway with fetch (the browser sends its own preflight)
// and reads the answer and the request id; a page from an origin not on the list is refused by the
// browser and costs the agencies nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../../platform/stack.js';
import { callsPerAgency, readmeQuery, resetCounts } from '../helpers/legacy-calls.js';
import { launchChromium, watchProblems } from './chromium.js';

/** A stand-in for a frontend's dev server: one page, on its own origin. */
async function appServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>case worklist</title><p>app</p>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

let stack: Stack;
let browser: Browser;
let listed: Awaited<ReturnType<typeof appServer>>;
let unlisted: Awaited<ReturnType<typeof appServer>>;

beforeAll(async () => {
  [listed, unlisted, browser] = await Promise.all([appServer(), appServer(), launchChromium()]);
  stack = await startStack({ population: { size: 60 }, logLevel: 'silent', edge: { corsOrigins: [listed.origin] } });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await listed?.close();
  await unlisted?.close();
});

interface Answer { ok: boolean; status?: number; requestId?: string | null; body?: any; error?: string }

/** Runs the README query from a page on `origin`, as that page's own script would. */
async function queryFrom(origin: string): Promise<{ answer: Answer; problems: string[] }> {
  const page = await browser.newPage();
  const problems = watchProblems(page);
  try {
    await page.goto(origin);
    const token = await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] });
    const answer = await page.evaluate(async ({ url, token, query, pnc }): Promise<Answer> => {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION', 'x-justification': 'burglary enquiry 01/2345' },
          body: JSON.stringify({ query, variables: { pnc } }),
        });
        return { ok: true, status: res.status, requestId: res.headers.get('x-request-id'), body: await res.json() };
      } catch (e) {
        return { ok: false, error: String(e) };
      }
    }, { url: stack.gatewayUrl, token, query: readmeQuery(), pnc: stack.population.people[stack.population.examples.everywhere].pnc });
    return { answer, problems };
  } finally {
    await page.close();
  }
}

describe('a browser app on another origin', { timeout: 90_000 }, () => {
  it('runs the README query from a listed origin and reads the answer and its request id', async () => {
    const { answer } = await queryFrom(listed.origin);
    expect(answer).toMatchObject({ ok: true, status: 200 });
    expect(answer.body.data.personByIdentifier.links.map((l: { agency: string }) => l.agency).sort()).toEqual(['COURTS', 'POLICE', 'PRISONS', 'PROBATION']);
    expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const head = await stack.audit.store.head();
    const [rec] = await stack.audit.store.readRange(head!.seq, 1);
    expect(rec).toMatchObject({ requestId: answer.requestId, justification: 'burglary enquiry 01/2345' });
  });

  it('is refused from an origin not on the list, and the agencies are never asked', async () => {
    resetCounts(stack);
    const auditBefore = (await stack.audit.store.head())?.seq ?? 0;
    const { answer, problems } = await queryFrom(unlisted.origin);
    // The browser refuses to let the page send the query: the preflight got no CORS approval.
    expect(answer.ok).toBe(false);
    expect(answer.error).toMatch(/Failed to fetch/);
    expect(problems.join('\n')).toMatch(/CORS/);
    expect(Object.values(callsPerAgency(stack)).every((n) => n === 0)).toBe(true);
    expect((await stack.audit.store.head())?.seq ?? 0).toBe(auditBefore);
  });
});

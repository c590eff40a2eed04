// npm run bench: start-up time, the README query's latency and legacy calls per agency, throughput
// under concurrency, and memory, on this machine. Figures are printed and saved under bench/results/.
// BENCH_SIZE (population, default 2000), BENCH_REQUESTS (default 400), BENCH_CONCURRENCY (default 8).
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generatePopulation } from '../legacy/population.js';
import { startStack } from '../platform/stack.js';

const size = Number(process.env.BENCH_SIZE ?? 2000);
const requests = Number(process.env.BENCH_REQUESTS ?? 400);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const exampleQuery = /<!-- example-query -->\s*```graphql\n([\s\S]*?)```/.exec(readme)![1];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

let t = performance.now();
generatePopulation({ size: 100_000 });
const population100k = performance.now() - t;

t = performance.now();
const stack = await startStack({ population: { size }, logLevel: 'silent' });
const startup = performance.now() - t;

const token = await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION' };
const people = stack.population.people.filter((p) => p.pnc && p.nominalId);
async function ask(pnc: string): Promise<number> {
  const s = performance.now();
  const res = await fetch(stack.gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query: exampleQuery, variables: { pnc } }) });
  const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
  // Withheld fields (a restricted record, say) are a normal answer; anything else stops the bench.
  const unexpected = body.errors?.filter((e) => e.extensions?.code !== 'FORBIDDEN');
  if (res.status !== 200 || unexpected?.length) throw new Error(`bench query failed: ${res.status} ${JSON.stringify(unexpected)?.slice(0, 300)}`);
  return performance.now() - s;
}

// Legacy calls for one README query, on a warm stack (tokens already fetched, exports already read).
const example = stack.population.people[stack.population.examples.everywhere].pnc!;
await ask(example);
const victimsReadsBefore = (stack.clients.get('victims') as { reads?: number }).reads ?? 0;
for (const s of stack.standIns.values()) s.requests.reset();
await ask(example);
const callsPerAgency: Record<string, unknown> = Object.fromEntries([...stack.standIns].map(([n, s]) => [n, s.requests.snapshot()]));
// The victims system is files the adapter reads in place: count its reads (0 while the export is unchanged).
callsPerAgency.victims = { 'export file reads': ((stack.clients.get('victims') as { reads?: number }).reads ?? 0) - victimsReadsBefore };

// Latency, one at a time.
const serial: number[] = [];
for (let i = 0; i < Math.min(100, requests); i++) serial.push(await ask(people[i % people.length].pnc!));
serial.sort((a, b) => a - b);

// Throughput under concurrency.
let next = 0;
t = performance.now();
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < requests) await ask(people[next++ % people.length].pnc!);
}));
const elapsed = performance.now() - t;
const mem = process.memoryUsage();
await stack.close();

const result = {
  date: new Date().toISOString(),
  node: process.version,
  population: size,
  population100kMs: Math.round(population100k),
  startupMs: Math.round(startup),
  exampleQuery: { p50Ms: +pct(serial, 50).toFixed(1), p95Ms: +pct(serial, 95).toFixed(1), legacyCalls: callsPerAgency },
  throughput: { requests, concurrency, perSecond: +(requests / (elapsed / 1000)).toFixed(1) },
  memory: { rssMiB: Math.round(mem.rss / 1048576), heapUsedMiB: Math.round(mem.heapUsed / 1048576) },
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/bench-${Date.now()}.json`, import.meta.url), JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));

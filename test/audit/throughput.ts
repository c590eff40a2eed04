// Append throughput and latency of both stores, with and without group commit (not part of `vitest run`).
// Run: npx tsx test/audit/throughput.ts   (PostgreSQL from TEST_DATABASE_URL, as in the tests)
import { performance } from 'node:perf_hooks';
import { FileAuditStore } from '../../audit/file-store.js';
import { PgAuditStore } from '../../audit/pg-store.js';
import type { AuditStore } from '../../audit/store.js';
import { PgServer, fileHarness, sampleInput } from './helpers.js';

const N = Number(process.env.AUDIT_BENCH_RECORDS ?? 2000);

/** `concurrency` callers each appending back to back until N records are stored. */
async function closedLoop(store: AuditStore, concurrency: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < N) await store.append(sampleInput(++next));
  }));
  return N / ((performance.now() - start) / 1000);
}

/** Appends arriving at `rate` per second for `seconds`, as a gateway would send them: latency percentiles. */
async function openLoop(store: AuditStore, rate: number, seconds: number): Promise<string> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    pending.push(store.append(sampleInput(i)).then(() => void latencies.push(performance.now() - t)));
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  return `${rate}/s open loop: p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms`;
}

async function measure(name: string, open: (maxBatch: number) => Promise<AuditStore>): Promise<void> {
  for (const [label, maxBatch] of [['group commit', 1000], ['one sync per record', 1]] as const) {
    for (const concurrency of [1, 16, 64]) {
      const store = await open(maxBatch);
      const rate = await closedLoop(store, concurrency);
      console.log(`${name.padEnd(10)} ${label.padEnd(20)} ${String(concurrency).padStart(3)} callers: ${Math.round(rate)} appends/s`);
      await store.close();
    }
  }
  const store = await open(1000);
  console.log(`${name.padEnd(10)} group commit         ${await openLoop(store, 200, 5)}`);
  await store.close();
}

const file = await fileHarness();
await measure('file', async (maxBatch) => FileAuditStore.open(file.dir, { maxBatch }));
await file.dispose();

const server = new PgServer();
await server.start();
const h = await server.harness();
await measure('postgres', async (maxBatch) => new PgAuditStore(server.urlFor(server.appRole), { schema: h.schema, maxBatch }));
await h.dispose();
await server.stop();

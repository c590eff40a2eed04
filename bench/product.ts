// The product alone, for npm run bench: gateway and subgraphs in this process, pointed at the legacy
// systems the environment locates (the stand-ins' own process). Talks to the benchmark over IPC:
// sends { type: 'ready', gatewayUrl, startupMs, token } once up, and answers { type: 'usage' } with
// this process's CPU time and memory, so the figures are the product's and never the stand-ins'.
// BENCH_ONLY_POLICY_OFF=1 runs without the disclosure policy and the audit trail: the baseline that
// says what they cost. It exists for benchmarks only and is refused in production.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { startStack } from '../platform/stack.js';

if (!process.send) {
  console.error('bench/product.ts is started by npm run bench (it needs an IPC channel)');
  process.exit(2);
}
const policyOff = process.env.BENCH_ONLY_POLICY_OFF === '1';
if (process.env.BENCH_ONLY_POLICY_OFF && !['0', '1'].includes(process.env.BENCH_ONLY_POLICY_OFF)) {
  console.error(`BENCH_ONLY_POLICY_OFF must be 1 or 0, got "${process.env.BENCH_ONLY_POLICY_OFF}"`);
  process.exit(2);
}
if (policyOff && process.env.NODE_ENV === 'production') {
  // Without the policy every field goes to every caller and nothing is audited.
  console.error('BENCH_ONLY_POLICY_OFF is refused with NODE_ENV=production: the disclosure policy and the audit trail are never off in production');
  process.exit(2);
}

const t = performance.now();
const stack = await startStack({
  // The stand-ins own the population; this process needs none, so a token-sized one keeps it out of RSS.
  population: { size: 10, seed: 1 },
  useConfiguredSystems: true,
  logLevel: process.env.LOG_LEVEL ?? 'error',
  // The benchmark is one synthetic user sending thousands of requests about hundreds of people: the rate
  // limits stay in the path (their counting is part of the cost) but never refuse. Refusals are measured by npm run bench:edge.
  edge: { rateLimits: { perUser: { requests: 1e9, windowSeconds: 60 }, perAgency: { requests: 1e9, windowSeconds: 60 }, distinctSubjects: { perUser: 1e9, byRole: {}, windowSeconds: 3600 } } },
  ...(policyOff ? { policy: false as const, audit: false as const } : {}),
});
const startupMs = performance.now() - t;
if (stack.standIns.size > 0) {
  await stack.close();
  console.error(`the product must use external systems only, but started stand-ins for: ${[...stack.standIns.keys()].join(', ')}`);
  process.exit(2);
}

let peakRss = process.memoryUsage.rss();
setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 100).unref();

const token = await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'], expiresIn: '2h' });
process.send({ type: 'ready', gatewayUrl: stack.gatewayUrl, startupMs, token });

process.on('message', (m: { type: string; id: number; resetPeak?: boolean; agency?: string; role?: string; staffCode?: string }) => {
  if (m.type === 'token') {
    // A worklist's caller (npm run bench's worklists part): their role, agency and staff code.
    void stack.token({ agency: m.agency!, roles: [m.role!], staffCode: m.staffCode, expiresIn: '2h' }).then((t) => process.send!({ type: 'token', id: m.id, token: t }));
    return;
  }
  if (m.type !== 'usage') return;
  const cpu = process.cpuUsage();
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);
  const reads = Object.fromEntries([...stack.clients].flatMap(([n, c]) => {
    const r = (c as { reads?: unknown } | undefined)?.reads;
    return typeof r === 'number' ? [[n, r]] : [];
  }));
  process.send!({ type: 'usage', id: m.id, cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: rss, peakRssBytes: peakRss, reads });
  if (m.resetPeak) peakRss = rss;
});

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);

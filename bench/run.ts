// npm run bench: what the product costs, measured apart from the stand-ins. The stand-in legacy systems
// run in a child process of their own (npm run stand-ins), the product (gateway + subgraphs) in another
// (bench/product.ts); this process only sends requests. Legacy calls and waves are read from the
// stand-ins' request log through their control API; CPU and memory are the product process's own.
//
// Each figure is printed as soon as it is measured and the JSON file under bench/results/ is rewritten
// after every figure, so a later failure never loses earlier figures. A table of everything ends the run.
//
// Knobs: BENCH_SIZE (population, default 2000), BENCH_SEED (20261101), BENCH_PEOPLE (people per request
// for the call counts, default 1,10,50,100), BENCH_LATENCY_MS (injected latency for waves, default 50),
// BENCH_LATENCY_REQUESTS (requests per latency figure, default 30), BENCH_REQUESTS (requests per
// throughput and CPU run, default 100), BENCH_CONCURRENCY (default 1,4,16), BENCH_PARTS (which figures:
// default calls,waves,worklists,throughput,cost), BENCH_WORKLIST_PEOPLE (page length of each worklist, default 50).
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gatherWorklists, generatePopulation, type PersonTruth } from '../legacy/population.js';
import { startProductProcess, startStandInsProcess, type ProductProcess, type StandInsProcess } from './processes.js';
import { legacyWaves, percentile, table } from './waves.js';

const list = (name: string, fallback: number[]) => (process.env[name] ? process.env[name]!.split(',').map(Number) : fallback);
const size = Number(process.env.BENCH_SIZE ?? 2000);
const seed = Number(process.env.BENCH_SEED ?? 20261101);
const peopleCounts = list('BENCH_PEOPLE', [1, 10, 50, 100]);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50);
const latencyRequests = Number(process.env.BENCH_LATENCY_REQUESTS ?? 30);
const requestsPerRun = Number(process.env.BENCH_REQUESTS ?? 100);
const parts = new Set((process.env.BENCH_PARTS ?? 'calls,waves,worklists,throughput,cost').split(','));
for (const part of parts) if (!['calls', 'waves', 'worklists', 'throughput', 'cost'].includes(part)) throw new Error(`BENCH_PARTS: unknown part "${part}"; expected calls, waves, worklists, throughput, cost`);
const worklistPeople = Number(process.env.BENCH_WORKLIST_PEOPLE ?? 50);
const concurrencies = list('BENCH_CONCURRENCY', [1, 4, 16]);
for (const [name, v] of Object.entries({ size, seed, latencyMs, worklistPeople, latencyRequests, requestsPerRun, ...Object.fromEntries(peopleCounts.map((n, i) => [`people${i}`, n])), ...Object.fromEntries(concurrencies.map((n, i) => [`concurrency${i}`, n])) })) {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`bench setting ${name} must be a positive whole number, got ${v}`);
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const exampleQuery = /<!-- example-query -->\s*```graphql\n([\s\S]*?)```/.exec(readme)![1];
/** A query block of the README marked `<!-- name -->`: what each worklist's user pastes. */
const readmeBlock = (name: string) => new RegExp(`<!-- ${name} -->\\s*\`\`\`graphql\\n([\\s\\S]*?)\`\`\``).exec(readme)![1];
/** The person selection of the README example, reused for many people in one request. */
const exampleSelection = /personByIdentifier\(type: PNC, value: \$pnc\) (\{[\s\S]*\})\s*\}\s*$/.exec(exampleQuery.trim())![1];

// ---- results: printed and saved as they come -------------------------------------------------------

const results: Record<string, unknown> = {
  date: new Date().toISOString(), node: process.version, population: size, seed,
  settings: { parts: [...parts], peopleCounts, latencyMs, latencyRequests, requests: requestsPerRun, concurrencies },
  notes: [] as string[],
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file = new URL(`./results/bench-${results.date as string}.json`.replaceAll(':', '-'), import.meta.url);
const save = () => writeFileSync(file, JSON.stringify(results, null, 2));
function figure(key: string, value: unknown, line: string): void {
  results[key] = value;
  save();
  console.log(line);
}
function note(text: string): void {
  (results.notes as string[]).push(text);
  save();
  console.log(`note: ${text}`);
}
console.log(`bench: population ${size} (seed ${seed}); results in ${file.pathname}`);

// ---- requests ----------------------------------------------------------------------------------------

interface Answer { ms: number; errors: { code: string; agency?: string }[]; data: Record<string, unknown> | null }

async function ask(product: ProductProcess, query: string, variables: Record<string, unknown> = {}, as: { token: string; purpose: string } = { token: product.token, purpose: 'INVESTIGATION' }): Promise<Answer> {
  const s = performance.now();
  const res = await fetch(product.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${as.token}`, 'x-purpose': as.purpose, 'x-justification': 'benchmark' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string; agency?: string } }[] };
  const ms = performance.now() - s;
  if (res.status !== 200 && !body.errors?.length) throw new Error(`gateway answered HTTP ${res.status}`);
  return { ms, data: body.data ?? null, errors: (body.errors ?? []).map((e) => ({ code: e.extensions?.code ?? 'UNKNOWN', agency: e.extensions?.agency })) };
}

/** Errors other than withheld fields (a normal answer for a police officer), counted by code. */
function unexpected(a: Answer): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of a.errors) if (e.code !== 'FORBIDDEN') out[`${e.code}${e.agency ? `:${e.agency}` : ''}`] = (out[`${e.code}${e.agency ? `:${e.agency}` : ''}`] ?? 0) + 1;
  return out;
}

/** Legacy waves of three runs of one request, each on quiet stand-ins, from their request logs. */
async function waveRunsOf(standIns: StandInsProcess, send: () => Promise<unknown>, latencyMs: number): Promise<ReturnType<typeof legacyWaves>[]> {
  const runs: ReturnType<typeof legacyWaves>[] = [];
  for (let i = 0; i < 3; i++) {
    await quiesce(standIns);
    const since = Date.now() - 1;
    await standIns.control.resetRequests();
    await send();
    const log = await standIns.control.requests(since);
    runs.push(legacyWaves(Object.fromEntries(Object.entries(log).map(([n, r]) => [n, r.log])), latencyMs));
  }
  return runs;
}

/**
 * Waits until no legacy call has arrived for `quietMs`: a request the gateway gave up on may still be
 * calling legacy systems, and those calls belong to it, not to the next measurement.
 */
async function quiesce(standIns: StandInsProcess, quietMs = 750, maxMs = 60_000): Promise<void> {
  const total = async () => Object.values(await standIns.control.requests(Date.now() + 1e9)).reduce((a, r) => a + r.total, 0);
  const until = Date.now() + maxMs;
  let last = await total();
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = await total();
    if (now === last) return;
    last = now;
  }
  note(`legacy calls still arriving after ${maxMs} ms of waiting; figures that follow may include them`);
}

/** Legacy calls per agency caused by one request (stand-ins' counts, plus file reads the adapters count), late calls included. */
async function callsOf(product: ProductProcess, standIns: StandInsProcess, send: () => Promise<Answer>) {
  await quiesce(standIns);
  const readsBefore = (await product.usage()).reads;
  await standIns.control.resetRequests();
  const answer = await send();
  await quiesce(standIns);
  const log = await standIns.control.requests();
  const readsAfter = (await product.usage()).reads;
  const calls: Record<string, number> = Object.fromEntries(Object.entries(log).map(([n, r]) => [n, r.total]));
  // The victims system is files the adapter reads in place: its "calls" are the adapter's reads.
  for (const [n, r] of Object.entries(readsAfter)) calls[n] = (calls[n] ?? 0) + r - (readsBefore[n] ?? 0);
  return { answer, calls, total: Object.values(calls).reduce((a, b) => a + b, 0), log };
}

// ---- the run -------------------------------------------------------------------------------------------

const population = generatePopulation({ size, seed });
// The stand-ins give one offender manager, liaison officer and establishment worklists of this length (the same shaping here).
const staff = parts.has('worklists') ? gatherWorklists(population, worklistPeople) : null;
const withPnc = population.people.filter((p) => p.pnc);
const example = population.people[population.examples.everywhere];
let standIns: StandInsProcess | undefined;
let product: ProductProcess | undefined;
// Ctrl-C: the children go with us (they also leave when the IPC channel closes); figures so far are saved.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench interrupted; figures so far are in ${file.pathname}`);
    void Promise.allSettled([product?.close(), standIns?.close()]).then(() => process.exit(130));
  });
}

try {
  let t = performance.now();
  standIns = await startStandInsProcess({ size, seed, worklistPeople: staff ? worklistPeople : 0 });
  figure('standInsStartupMs', Math.round(performance.now() - t), `stand-ins up (pid ${standIns.pid}) in ${Math.round(performance.now() - t)} ms`);
  product = await startProductProcess(standIns.env);
  figure('productStartupMs', Math.round(product.startupMs), `product up (pid ${product.pid}) in ${Math.round(product.startupMs)} ms`);

  // Warm: tokens fetched from the agencies' auth services, exports read once.
  await ask(product, exampleQuery, { pnc: example.pnc });

  // 1. Legacy calls per agency for N people in one request.
  if (parts.has('calls')) {
    const callRows: Record<string, unknown>[] = [];
    const aliasQuery = (people: PersonTruth[], selection: string) =>
      `query { ${people.map((p, i) => `p${i}: personByIdentifier(type: PNC, value: ${JSON.stringify(p.pnc)}) ${selection}`).join('\n')} }`;
    for (const [label, selection] of [['aliases { id }', '{ id }'], ['aliases, README selection', exampleSelection]] as const) {
      for (const n of peopleCounts) {
        if (n > withPnc.length) { note(`${label}: N=${n} skipped, only ${withPnc.length} people with a PNC`); continue; }
        const r = await callsOf(product, standIns, () => ask(product!, aliasQuery(withPnc.slice(0, n), selection)));
        const errors = unexpected(r.answer);
        const row = { shape: label, people: n, total: r.total, perPerson: +(r.total / n).toFixed(2), ms: Math.round(r.answer.ms), ...r.calls, ...(Object.keys(errors).length ? { errors } : {}) };
        callRows.push(row);
        figure('legacyCalls', callRows, `legacy calls, ${label}, N=${n}: ${r.total} (${JSON.stringify(r.calls)}) in ${Math.round(r.answer.ms)} ms${Object.keys(errors).length ? ` errors ${JSON.stringify(errors)}` : ''}`);
      }
    }
    // searchPeople: one person by full name and date of birth, then surnames shared by about N people.
    const bySurname = new Map<string, number>();
    for (const p of population.people) bySurname.set(p.surname, (bySurname.get(p.surname) ?? 0) + 1);
    const searches: { label: string; args: string }[] = [
      { label: 'surname+forename+dob', args: `surname: ${JSON.stringify(example.surname)}, forename: ${JSON.stringify(example.forename)}, dateOfBirth: ${JSON.stringify(example.dateOfBirth)}` },
    ];
    for (const n of peopleCounts.filter((x) => x > 1)) {
      const [surname] = [...bySurname].sort((a, b) => Math.abs(a[1] - n) - Math.abs(b[1] - n))[0];
      if (!searches.some((s) => s.args.includes(JSON.stringify(surname)))) searches.push({ label: `surname (${bySurname.get(surname)} people)`, args: `surname: ${JSON.stringify(surname)}` });
    }
    for (const s of [...searches, ...searches.slice(1).map((x) => ({ ...x, label: `${x.label}, README selection`, selection: exampleSelection }))] as { label: string; args: string; selection?: string }[]) {
      const r = await callsOf(product, standIns, () => ask(product!, `query { searchPeople(${s.args}) { grade person ${s.selection ?? '{ id }'} } }`));
      const found = (r.answer.data?.searchPeople as unknown[] | undefined)?.length ?? 0;
      const errors = unexpected(r.answer);
      callRows.push({ shape: `searchPeople ${s.label}`, people: found, total: r.total, perPerson: found ? +(r.total / found).toFixed(2) : null, ms: Math.round(r.answer.ms), ...r.calls, ...(Object.keys(errors).length ? { errors } : {}) });
      figure('legacyCalls', callRows, `legacy calls, searchPeople ${s.label}: ${found} results, ${r.total} calls (${JSON.stringify(r.calls)})`);
    }
    const supergraph = readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8');
    const queryType = /type Query[^{]*\{([\s\S]*?)\n\}/.exec(supergraph)?.[1] ?? '';
    const listFields = [...queryType.matchAll(/^\s*(\w+)(?:\([^)]*\))?\s*:\s*\[Person!?\]/gm)].map((m) => m[1]);
    if (listFields.length === 0) note('no list field of people on Query yet (worklists): legacy calls by a list field not measured');
    else note(`list fields found (${listFields.join(', ')}), not yet measured by this bench: their arguments differ per field`);
  }

  // 2. Legacy waves on the critical path of the README example, and its latency with every system slowed.
  if (parts.has('waves')) {
    const askExample = () => ask(product!, exampleQuery, { pnc: example.pnc });
    await standIns.control.setFaults('*', { latencyMs });
    const waveRuns = await waveRunsOf(standIns, askExample, latencyMs);
    // The fewest waves of three runs: a busy machine can only split a wave (a call issued late), never merge two.
    const fewest = [...waveRuns].sort((a, b) => a.length - b.length)[0];
    figure('exampleWaves', { waves: fewest.length, runs: waveRuns.map((w) => w.length), detail: fewest }, `README example: ${fewest.length} legacy waves on the critical path (runs: ${waveRuns.map((w) => w.length).join(', ')}): ${fewest.map((w) => `+${w.startMs}ms ${JSON.stringify(w.calls)}`).join(' | ')}`);
    // Baseline and slowed requests alternate, so a change in the machine's load touches both alike.
    await quiesce(standIns);
    const base: number[] = [];
    const slow: number[] = [];
    for (let i = 0; i < latencyRequests; i++) {
      await standIns.control.setFaults('*', { latencyMs: 0 });
      base.push((await askExample()).ms);
      await standIns.control.setFaults('*', { latencyMs });
      slow.push((await askExample()).ms);
    }
    const baseline = { p50Ms: +percentile(base, 50).toFixed(1), p95Ms: +percentile(base, 95).toFixed(1) };
    figure('exampleBaseline', baseline, `README example, no injected latency: p50 ${baseline.p50Ms} ms, p95 ${baseline.p95Ms} ms`);
    await standIns.control.resetFaults();
    const slowP50 = percentile(slow, 50);
    const slowP95 = percentile(slow, 95);
    const criticalP50 = fewest.length * latencyMs + baseline.p50Ms;
    const criticalP95 = fewest.length * latencyMs + baseline.p95Ms;
    figure('exampleWithLatency', {
      latencyMs, p50Ms: +slowP50.toFixed(1), p95Ms: +slowP95.toFixed(1), criticalPathP50Ms: criticalP50, criticalPathP95Ms: criticalP95,
      ratioP50: +(slowP50 / criticalP50).toFixed(2), ratioP95: +(slowP95 / criticalP95).toFixed(2), overCriticalPathP50Ms: +(slowP50 - criticalP50).toFixed(1),
    }, `README example with ${latencyMs} ms on every system: p50 ${slowP50.toFixed(1)} ms (${(slowP50 / criticalP50).toFixed(2)} x critical path ${criticalP50} ms = ${fewest.length} waves x ${latencyMs} + baseline p50), p95 ${slowP95.toFixed(1)} ms (${(slowP95 / criticalP95).toFixed(2)} x ${criticalP95})`);
  }

  // 3. Each worklist's page of `worklistPeople`, as its user pastes it from the README: legacy calls with no
  // injected latency, legacy waves and p50 / p95 with `latencyMs` on every system.
  if (parts.has('worklists') && staff) {
    const on = population.referenceDate;
    const worklists = [
      { name: 'court list (remandCases)', root: 'remandCases', block: 'court-list-query', agency: 'COURTS', role: 'COURT_LISTING_OFFICER', purpose: 'COURT_LISTING', variables: { on, expiringWithinDays: 28, first: worklistPeople } },
      { name: 'myCaseload', root: 'myCaseload', block: 'caseload-query', agency: 'PROBATION', role: 'PROBATION_OFFICER', purpose: 'OFFENDER_MANAGEMENT', staffCode: staff.offenderManager, variables: { since: '2026-01-01', first: worklistPeople } },
      { name: 'myVictims', root: 'myVictims', block: 'victims-query', agency: 'VICTIMS', role: 'VICTIM_LIAISON_OFFICER', purpose: 'VICTIM_CONTACT', staffCode: staff.liaisonOfficer, variables: { first: worklistPeople } },
      { name: 'prisonRoll', root: 'prisonRoll', block: 'roll-query', agency: 'PRISONS', role: 'PRISON_OFFICER', purpose: 'CUSTODY_MANAGEMENT', variables: { prisonId: staff.prisonId, wing: 'A', since: '2026-10-01' } },
    ];
    const rows: Record<string, unknown>[] = [];
    for (const w of worklists) {
      const as = { token: await product.tokenFor({ agency: w.agency, role: w.role, staffCode: w.staffCode }), purpose: w.purpose };
      const send = () => ask(product!, readmeBlock(w.block), w.variables, as);
      await standIns.control.resetFaults();
      await send(); // warm: tokens, exports
      const calls = await callsOf(product, standIns, send);
      const page = calls.answer.data?.[w.root] as { items?: unknown[]; entries?: unknown[] } | null | undefined;
      const length = (page?.items ?? page?.entries ?? []).length;
      const errors = unexpected(calls.answer);
      // The same page with no injected latency: the product's own time, so the slowed figure can be read against it.
      const base: number[] = [];
      for (let i = 0; i < Math.min(latencyRequests, 10); i++) base.push((await send()).ms);
      await standIns.control.setFaults('*', { latencyMs });
      const waveRuns = await waveRunsOf(standIns, send, latencyMs);
      const times: number[] = [];
      for (let i = 0; i < latencyRequests; i++) times.push((await send()).ms);
      await standIns.control.resetFaults();
      const waves = Math.min(...waveRuns.map((x) => x.length));
      const row = {
        worklist: w.name, items: length, calls: calls.total, ...calls.calls, waves, baselineP50Ms: +percentile(base, 50).toFixed(1), latencyMs,
        p50Ms: +percentile(times, 50).toFixed(1), p95Ms: +percentile(times, 95).toFixed(1), ...(Object.keys(errors).length ? { errors } : {}),
      };
      rows.push(row);
      figure('worklists', rows, `worklist ${w.name}, page of ${length}: ${calls.total} legacy calls (${JSON.stringify(calls.calls)}), ${waves} waves; no injected latency p50 ${row.baselineP50Ms} ms; with ${latencyMs} ms on every system p50 ${row.p50Ms} ms, p95 ${row.p95Ms} ms${Object.keys(errors).length ? ` errors ${JSON.stringify(errors)}` : ''}`);
      if (length < worklistPeople) note(`worklist ${w.name}: the page held ${length} items, fewer than the ${worklistPeople} asked for`);
    }
  }

  // 4. Throughput at each concurrency, and CPU per request and RSS of the product process.
  const people = withPnc.slice(0, Math.max(1, Math.min(withPnc.length, 500)));
  async function load(p: ProductProcess, concurrency: number, requests = requestsPerRun) {
    let next = 0;
    let failed = 0;
    let withheld = 0;
    let ok = 0;
    const errors: Record<string, number> = {};
    await quiesce(standIns!);
    const before = await p.usage(true);
    const s = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const a = await ask(p, exampleQuery, { pnc: people[next++ % people.length].pnc });
        const u = unexpected(a);
        withheld += a.errors.length - Object.values(u).reduce((x, y) => x + y, 0);
        if (Object.keys(u).length) failed++;
        else ok++;
        for (const [k, v] of Object.entries(u)) errors[k] = (errors[k] ?? 0) + v;
      }
    }));
    const elapsed = performance.now() - s;
    const after = await p.usage();
    return {
      concurrency, requests, perSecond: +(requests / (elapsed / 1000)).toFixed(1), okPerSecond: +(ok / (elapsed / 1000)).toFixed(1), cpuMsPerRequest: +((after.cpuMs - before.cpuMs) / requests).toFixed(2),
      peakRssMiB: Math.round(after.peakRssBytes / 1048576), withheldPerAnswer: +(withheld / requests).toFixed(2), answersWithErrors: failed, ...(failed ? { errors } : {}),
    };
  }
  // CPU and RSS first, on a product not yet pushed to high concurrency: an overloaded product opens
  // the gateway's breakers, and answers that fail fast would make it look cheap.
  const cpuConcurrency = concurrencies.includes(4) ? 4 : concurrencies[0];
  const warmup = Math.min(requestsPerRun, 30);
  let on: Awaited<ReturnType<typeof load>> | undefined;
  let rssOn = 0;
  if (parts.has('cost')) {
    await load(product, cpuConcurrency, warmup);
    on = await load(product, cpuConcurrency);
    rssOn = (await product.usage()).rssBytes;
    figure('policyOn', { ...on, rssMiB: Math.round(rssOn / 1048576) }, `policy and audit on, concurrency ${cpuConcurrency}: product CPU ${on.cpuMsPerRequest} ms/request, RSS ${Math.round(rssOn / 1048576)} MiB (peak ${on.peakRssMiB})${on.answersWithErrors ? `, ${on.answersWithErrors} answers with errors ${JSON.stringify(on.errors)}` : ''}`);
  }
  if (parts.has('throughput')) {
    const throughput: Record<string, unknown>[] = [];
    for (const c of concurrencies) {
      const r = await load(product, c);
      throughput.push(r);
      figure('throughput', throughput, `throughput, concurrency ${c}: ${r.perSecond} requests/s (${r.okPerSecond} without errors), product CPU ${r.cpuMsPerRequest} ms/request, product peak RSS ${r.peakRssMiB} MiB${r.answersWithErrors ? `, ${r.answersWithErrors} answers with errors ${JSON.stringify(r.errors)}` : ''}`);
    }
  }
  await product.close();
  product = undefined;

  if (on) {
    product = await startProductProcess(standIns.env, { policyOff: true });
    await ask(product, exampleQuery, { pnc: example.pnc });
    await load(product, cpuConcurrency, warmup);
    const off = await load(product, cpuConcurrency);
    const rssOff = (await product.usage()).rssBytes;
    figure('policyOff', { ...off, rssMiB: Math.round(rssOff / 1048576) }, `policy and audit off (BENCH_ONLY_POLICY_OFF), concurrency ${cpuConcurrency}: product CPU ${off.cpuMsPerRequest} ms/request, RSS ${Math.round(rssOff / 1048576)} MiB (peak ${off.peakRssMiB})${off.answersWithErrors ? `, ${off.answersWithErrors} answers with errors ${JSON.stringify(off.errors)}` : ''}`);
    // A run with failed answers did less work than a whole answer needs: its ratio would mislead.
    const valid = on.answersWithErrors === 0 && off.answersWithErrors === 0;
    figure('policyCost', {
      valid, cpuRatio: +(on.cpuMsPerRequest / off.cpuMsPerRequest).toFixed(2), rssRatio: +(rssOn / rssOff).toFixed(2), throughputRatio: +(on.perSecond / off.perSecond).toFixed(2),
    }, `policy and audit cost: CPU x${(on.cpuMsPerRequest / off.cpuMsPerRequest).toFixed(2)}, RSS x${(rssOn / rssOff).toFixed(2)}, throughput x${(on.perSecond / off.perSecond).toFixed(2)} (on / off)${valid ? '' : ' NOT VALID: a run had answers with errors'}`);
  }
} catch (err) {
  results.error = (err as Error).message;
  save();
  console.error(`bench stopped: ${(err as Error).message} (figures so far are in ${file.pathname})`);
  process.exitCode = 1;
} finally {
  await product?.close();
  await standIns?.close();
}

// ---- the table ---------------------------------------------------------------------------------------
if (results.legacyCalls) {
  console.log('\n## Legacy calls per request\n');
  console.log(table(results.legacyCalls as Record<string, unknown>[]));
}
if (results.exampleWaves || results.exampleWithLatency) {
  const w = results.exampleWaves as { waves: number } | undefined;
  const b = results.exampleBaseline as { p50Ms: number; p95Ms: number } | undefined;
  const l = results.exampleWithLatency as { latencyMs: number; p50Ms: number; p95Ms: number; criticalPathP50Ms: number; ratioP50: number; ratioP95: number } | undefined;
  console.log('\n## README example\n');
  console.log(table([
    { figure: 'legacy waves on the critical path', value: w?.waves },
    ...(b ? [{ figure: 'p50 / p95, no injected latency (ms)', value: `${b.p50Ms} / ${b.p95Ms}` }] : []),
    ...(l ? [
      { figure: `p50 / p95 with ${l.latencyMs} ms on every system (ms)`, value: `${l.p50Ms} / ${l.p95Ms}` },
      { figure: 'critical path (waves x latency + baseline p50, ms)', value: l.criticalPathP50Ms },
      { figure: 'p50 / critical path; p95 / (waves x latency + baseline p95)', value: `${l.ratioP50}; ${l.ratioP95}` },
    ] : []),
  ]));
}
if (results.worklists) {
  console.log(`\n## Worklists: a page of ${worklistPeople}, as pasted from the README (p50 / p95 with ${latencyMs} ms on every system)\n`);
  console.log(table(results.worklists as Record<string, unknown>[]));
}
if (results.throughput) {
  console.log('\n## Throughput and product CPU/RSS (policy and audit on)\n');
  console.log(table(results.throughput as Record<string, unknown>[]));
}
if (results.policyOn) {
  console.log('\n## Policy and audit cost (product process only)\n');
  console.log(table([results.policyOn, results.policyOff].filter(Boolean).map((r, i) => ({ stack: i === 0 ? 'policy + audit on' : 'off (BENCH_ONLY_POLICY_OFF)', ...(r as object) }))));
  if (results.policyCost) console.log(`\non / off: ${JSON.stringify(results.policyCost)}`);
}
for (const n of results.notes as string[]) console.log(`note: ${n}`);
console.log(`\nJSON: ${file.pathname}`);

// The stand-ins as their own world: `npm run stand-ins` in a child process (control API on port 0), its
// printed environment pointing a stack at it, and the control API counting and slowing what the
// product sends, as the benchmark uses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandInsProcess, type StandInsProcess } from '../../bench/processes.js';
import { generatePopulation } from '../../legacy/population.js';
import { configuredSystem, startStack, type Stack } from '../../platform/stack.js';
import { codes, query } from '../helpers/stack.js';

const world = { size: 120, seed: 20261101 };
const person = (() => { const p = generatePopulation(world); return p.people[p.examples.everywhere]; })();
const Q = 'query Lookup($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { name { surname } arrests { date } custodyPeriods { receptionDate } supervision { crn } } }';

let standIns: StandInsProcess;
let stack: Stack;
beforeAll(async () => {
  standIns = await startStandInsProcess({ ...world, timeoutMs: 170_000 });
  // Faults are switched off here and the very next answer expected whole, so the agencies' breakers must
  // not open in between (they are tested in test/integration/faults.test.ts).
  const closed = { POLICE_BREAKER_FAILURES: '1000', PRISONS_BREAKER_FAILURES: '1000', COURTS_BREAKER_FAILURES: '1000' };
  stack = await startStack({ population: world, env: { ...process.env, ...standIns.env, ...closed }, useConfiguredSystems: true, logLevel: 'silent' });
}, 240_000);
afterAll(async () => {
  await stack?.close();
  await standIns?.close();
}, 30_000);

describe('npm run stand-ins', () => {
  it('prints the environment that locates every stand-in system and its control API, and nothing else', () => {
    expect(Object.keys(standIns.env)).toEqual(expect.arrayContaining([
      'STAND_INS_CONTROL_URL', 'POLICE_DATABASE_URL', 'COURTS_URL', 'PRISONS_URL', 'PRISONS_AUTH_URL', 'PRISONS_CLIENT_ID', 'PRISONS_CLIENT_SECRET',
      'PROBATION_URL', 'PROBATION_AUTH_URL', 'PROBATION_CLIENT_ID', 'PROBATION_CLIENT_SECRET', 'VICTIMS_EXPORT_DIR',
    ]));
    expect(standIns.env.POLICE_DATABASE_URL).toMatch(/^postgres:\/\/police@127\.0\.0\.1:\d+\/police$/);
    for (const [k, v] of Object.entries(standIns.env)) if (k.endsWith('_URL')) expect(v, k).toMatch(/^(http|postgres):\/\/(police@)?127\.0\.0\.1:\d+/);
  });

  it('lets a stack use the systems its environment locates instead of starting its own stand-ins', () => {
    expect(stack.standIns.size).toBe(0);
    expect(Object.fromEntries(stack.configured)).toEqual({
      police: 'POLICE_DATABASE_URL', courts: 'COURTS_URL', prisons: 'PRISONS_URL', probation: 'PROBATION_URL', victims: 'VICTIMS_EXPORT_DIR', prosecution: 'PROSECUTION_URL',
    });
    expect(configuredSystem('prisons', {})).toBeNull();
  });

  it('counts, per agency and with arrival times, the legacy calls a request caused in the other process', async () => {
    await query(stack, 'POLICE', Q, { pnc: person.pnc }); // tokens fetched once, out of the count
    await standIns.control.resetRequests();
    const before = Date.now();
    const r = await query(stack, 'POLICE', Q, { pnc: person.pnc });
    expect(codes(r)).toEqual([]);
    expect(r.body.data.personByIdentifier.name.surname).toBe(person.surname);
    const log = await standIns.control.requests();
    for (const agency of ['police', 'courts', 'prisons', 'probation']) {
      expect(log[agency].total, agency).toBeGreaterThan(0);
      expect(log[agency].log).toHaveLength(log[agency].total);
      for (const e of log[agency].log) expect(e.at).toBeGreaterThanOrEqual(before - 5);
    }
    expect(Object.keys(log.police.counts)).toContain('SELECT NOMINALS'); // SQL over the wire, named as the in-process stand-in names it
    await standIns.control.resetRequests();
    expect((await standIns.control.requests()).police.total).toBe(0);
  });

  it('switches faults in the other process: a failing police database and a prison system that is down name their agencies', async () => {
    await standIns.control.setFaults('police', { errorRate: 1 });
    await standIns.control.setFaults('prisons', { down: true });
    try {
      const r = await query(stack, 'POLICE', Q, { pnc: person.pnc });
      expect(codes(r)).toEqual(expect.arrayContaining(['SOURCE_UNAVAILABLE:police', 'SOURCE_UNAVAILABLE:prisons']));
      expect(r.body.data.personByIdentifier.supervision).not.toBeNull(); // the other agencies still answer
    } finally {
      await standIns.control.resetFaults();
    }
    expect((await standIns.control.faults()).police).toEqual({ latencyMs: 0, errorRate: 0, malformedRate: 0, down: false, malformedRecords: [] });
    expect(codes(await query(stack, 'POLICE', Q, { pnc: person.pnc }))).toEqual([]);
  });

  it('delays every call of a system by the latency set through the control API', async () => {
    await standIns.control.setFaults('courts', { latencyMs: 300 });
    try {
      await standIns.control.resetRequests();
      const started = performance.now();
      await query(stack, 'POLICE', 'query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { id } }', { pnc: person.pnc });
      expect((await standIns.control.requests()).courts.total).toBeGreaterThan(0);
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await standIns.control.resetFaults();
    }
  });

  it('refuses a fault it does not know rather than leaving the fault off silently', async () => {
    await expect(standIns.control.setFaults('police', { latency: 5 } as never)).rejects.toThrow(/400 unknown fault field "latency"/);
    await expect(standIns.control.setFaults('police', { errorRate: 2 })).rejects.toThrow(/400/);
    await expect(standIns.control.setFaults('nowhere', { down: true })).rejects.toThrow(/404/);
  });
});

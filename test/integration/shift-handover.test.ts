// The prison shift handover worklist, end to end through the gateway with the stand-ins: the roll of an
// establishment (or one wing) with what changed for each person since the last shift, counts on top,
// paged, each person enriched through the graph. Expected values come from the synthetic world the
// stand-in serves, never from the adapter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrisonOffender } from '../../legacy/population.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { callsPerAgency, resetCounts } from '../helpers/legacy-calls.js';
import { query } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ population: { size: 300 }, logLevel: 'silent' });
}, 120_000);
afterAll(async () => stack?.close());

const ROLL = `query Roll($prisonId: String!, $wing: String, $since: Date!, $on: Date, $first: Int, $after: String) {
  prisonRoll(prisonId: $prisonId, wing: $wing, since: $since, on: $on, first: $first, after: $after) {
    prison { code name } wing total
    counts { inPrison temporarilyAbsent atCourt receivedSince withNewAlerts releaseDue }
    entries { prisonNumber cellLocation custodyState changes { kind date detail } person { id name { surname } } }
    nextCursor
  }
}`;

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const latest = (o: PrisonOffender) => o.bookings[o.bookings.length - 1];
/** Held by the prison now: an active booking there, not in transit to another. */
const heldAt = (o: PrisonOffender, prisonId: string) => { const b = latest(o); return !!b && b.active && b.movement !== 'TRN' && b.agencyId === prisonId; };

function busiestPrison(): { prisonId: string; people: PrisonOffender[] } {
  const by = new Map<string, PrisonOffender[]>();
  for (const o of stack.population.prisons) {
    const b = latest(o);
    if (b && b.active && b.movement !== 'TRN') by.set(b.agencyId, [...(by.get(b.agencyId) ?? []), o]);
  }
  const [prisonId, people] = [...by].sort((a, b) => b[1].length - a[1].length)[0];
  return { prisonId, people };
}

describe('a prison officer at the start of a shift', () => {
  it('sees the roll of their prison in cell order, with who came in, who has new alerts, who is out and whose release is due', async () => {
    const { prisonId, people } = busiestPrison();
    expect(people.length).toBeGreaterThan(1);
    const ref = stack.population.referenceDate;
    // A long absence (a year away) and releases due within the next year: every kind of change shows.
    const since = addDays(ref, -365);
    const on = addDays(ref, 365);
    const r = await query(stack, 'PRISONS', ROLL, { prisonId, since, on, first: 200 });
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    const roll = r.body.data.prisonRoll;
    expect(roll.prison.code).toBe(prisonId);
    expect(roll.total).toBe(people.length);
    expect(roll.entries.map((e: { prisonNumber: string }) => e.prisonNumber).sort()).toEqual(people.map((o) => o.offenderNo).sort());
    const cells = roll.entries.map((e: { cellLocation: string | null }) => e.cellLocation ?? '');
    expect(cells).toEqual([...cells].sort());

    for (const e of roll.entries) {
      const o = people.find((p) => p.offenderNo === e.prisonNumber)!;
      const b = latest(o);
      const kinds = e.changes.map((c: { kind: string }) => c.kind);
      expect(kinds.includes('RECEPTION'), `${o.offenderNo} reception ${b.receptionDate}`).toBe(b.receptionDate >= since);
      const newAlerts = o.alerts.filter((a) => a.active && !(a.dateExpires != null && a.dateExpires <= ref) && a.dateCreated >= since);
      expect(e.changes.filter((c: { kind: string }) => c.kind === 'NEW_ALERT').map((c: { detail: string }) => c.detail.split(':')[0]).sort(), o.offenderNo)
        .toEqual(newAlerts.map((a) => a.alertCode).sort());
      expect(kinds.includes('AT_COURT')).toBe(b.movement === 'CRT');
      expect(kinds.includes('TEMPORARY_ABSENCE')).toBe(b.movement === 'TAP');
      const due = b.legalStatus === 'SENTENCED' && b.sentenceDays != null ? b.conditionalReleaseDate : null;
      expect(kinds.includes('RELEASE_DUE'), `${o.offenderNo} due ${due}`).toBe(due != null && due <= on);
      expect(e.person.id).toContain(`=${o.offenderNo}`);
      // Enriched through the graph: the name comes from identity, not from the roll.
      expect(e.person.name.surname.toUpperCase()).toBe(o.surname.toUpperCase());
    }
    const count = (k: string) => roll.entries.filter((e: { changes: { kind: string }[] }) => e.changes.some((c) => c.kind === k)).length;
    expect(roll.counts).toMatchObject({ receivedSince: count('RECEPTION'), withNewAlerts: count('NEW_ALERT'), releaseDue: count('RELEASE_DUE'), atCourt: count('AT_COURT'), temporarilyAbsent: count('TEMPORARY_ABSENCE') });
    // Not vacuous: the window holds changes of each kind the population has.
    expect(count('RECEPTION') + count('NEW_ALERT') + count('RELEASE_DUE')).toBeGreaterThan(0);
    expect(roll.counts.inPrison + roll.counts.atCourt + roll.counts.temporarilyAbsent).toBe(people.length);
    expect(roll.nextCursor).toBeNull();
  });

  it('pages the roll, and one wing is only that wing', async () => {
    const { prisonId, people } = busiestPrison();
    const since = addDays(stack.population.referenceDate, -60);
    const all = (await query(stack, 'PRISONS', ROLL, { prisonId, since, first: 200 })).body.data.prisonRoll.entries.map((e: { prisonNumber: string }) => e.prisonNumber);
    const first = (await query(stack, 'PRISONS', ROLL, { prisonId, since, first: 1 })).body.data.prisonRoll;
    expect(first.entries).toHaveLength(1);
    expect(first.nextCursor).toBe('1');
    const second = (await query(stack, 'PRISONS', ROLL, { prisonId, since, first: 1, after: first.nextCursor })).body.data.prisonRoll;
    expect([first.entries[0].prisonNumber, second.entries[0].prisonNumber]).toEqual(all.slice(0, 2));

    const wing = latest(people[0]).cellLocation!.split('-')[1];
    const onWing = people.filter((o) => latest(o).cellLocation!.split('-')[1] === wing);
    const w = (await query(stack, 'PRISONS', ROLL, { prisonId, wing, since, first: 200 })).body.data.prisonRoll;
    expect(w.wing).toBe(wing);
    expect(w.total).toBe(onWing.length);
    expect(w.entries.map((e: { prisonNumber: string }) => e.prisonNumber).sort()).toEqual(onWing.map((o) => o.offenderNo).sort());
  });

  it('costs the prisons system one call for the page and one for its alerts, however long the page is', async () => {
    const { prisonId, people } = busiestPrison();
    const since = addDays(stack.population.referenceDate, -60);
    const rollOnly = ROLL.replace('person { id name { surname } }', 'person { id }');
    const calls: Record<number, Record<string, number>> = {};
    const enriched: Record<number, Record<string, number>> = {};
    for (const first of [1, people.length]) {
      resetCounts(stack);
      const r = await query(stack, 'PRISONS', rollOnly, { prisonId, since, first });
      expect(r.body.errors).toBeUndefined();
      calls[first] = callsPerAgency(stack);
      // With each person's name from the graph: identity links the whole page in shared waves.
      resetCounts(stack);
      const e = await query(stack, 'PRISONS', ROLL, { prisonId, since, first });
      expect(e.body.errors).toBeUndefined();
      enriched[first] = callsPerAgency(stack);
    }
    expect(calls[1].prisons).toBe(2);
    expect(calls[people.length].prisons).toBe(2);
    for (const [agency, n] of Object.entries(enriched[people.length])) expect(n, `${agency}, ${people.length} people named`).toBe(enriched[1][agency]);
  });

  it('is told plainly when the prison id or wing is not one', async () => {
    resetCounts(stack);
    const r = await query(stack, 'PRISONS', ROLL, { prisonId: 'MDI', wing: "A'; DROP", since: '2026-01-01' });
    expect(r.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(callsPerAgency(stack).prisons).toBe(0);
  });
});

describe('the roll is for the prison\'s own officers managing custody', () => {
  it('gives a police officer nothing', async () => {
    const { prisonId } = busiestPrison();
    resetCounts(stack);
    const r = await query(stack, 'POLICE', ROLL, { prisonId, since: '2026-01-01' });
    expect(r.body.data?.prisonRoll ?? null).toBeNull();
    expect(r.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(callsPerAgency(stack).prisons).toBe(0);
  });

  it('gives a prison officer declaring another purpose nothing', async () => {
    const { prisonId } = busiestPrison();
    const r = await query(stack, 'PRISONS', ROLL, { prisonId, since: '2026-01-01' }, { purpose: 'SAFEGUARDING' });
    expect(r.body.data?.prisonRoll ?? null).toBeNull();
    expect(r.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

// The pure parts of the worklists: keyset pages with opaque cursors, and events since a date, newest first.
import { personName } from '../../schema/model.js';
import { describe, expect, it } from 'vitest';
import { courtEventsOf } from '../../subgraphs/courts/resolvers.js';
import { since } from '../../subgraphs/events.js';
import { cursorOf, MAX_PAGE, pageOf } from '../../subgraphs/paging.js';

describe('a worklist page', () => {
  const keys = ['C3', 'A1', 'B2', 'D4', 'A1'];

  it.each([
    [{ first: 2 }, ['A1', 'B2'], cursorOf('B2')],
    [{ first: 2, after: cursorOf('B2') }, ['C3', 'D4'], null],
    [{ first: 10 }, ['A1', 'B2', 'C3', 'D4'], null],
    // A key that left the list since the cursor was given does not shift the next page.
    [{ first: 1, after: cursorOf('B1') }, ['B2'], cursorOf('B2')],
    [{ first: 2, after: cursorOf('Z9') }, [], null],
  ])('pages %j as %j', (args, page, next) => {
    const p = pageOf(keys, args);
    expect(p.keys).toEqual(page);
    expect(p.nextCursor).toBe(next);
    expect(p.totalCount).toBe(4);
  });

  it.each([[{ first: 0 }], [{ first: MAX_PAGE + 1 }], [{ first: 2.5 }], [{ after: 'B2' }], [{ after: cursorOf('') }], [{ after: '!!' }]])('refuses %j as BAD_USER_INPUT', (args) => {
    expect(() => pageOf(keys, args)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });
});

describe('events since a date', () => {
  it('keeps those on or after the date, newest first, ties in the agency\'s order', () => {
    const e = (date: string, summary: string) => ({ date, kind: 'HEARING' as const, summary, reference: null });
    expect(since([e('2026-01-01', 'a'), e('2026-03-01', 'b'), e('2025-12-31', 'c'), e('2026-03-01', 'd')], '2026-01-01').map((x) => x.summary)).toEqual(['b', 'd', 'a']);
  });

  it('lists a case\'s charges, hearings and verdicts with codes and register titles, never the wording or result text', () => {
    const offence = { code: 'TH68010', title: 'Theft from a shop', category: 'CE' };
    const court = { code: 'B01BH00', name: 'Bromley' };
    const c = {
      urn: '01ZD0303208', asn: '1101ZD0100000000001H',
      defendant: { asn: '1101ZD0100000000001H', urn: '01ZD0303208', name: personName(['Jo'], 'Bloggs'), dateOfBirth: '1990-01-01', sex: null, address: null },
      court, bailStatus: null, custodyTimeLimitExpiry: null, remandedInCustody: null,
      defendantDateOfBirth: '1990-01-01', youthAtOffence: false,
      hearings: [{ id: 'h1', court, date: '2026-02-01', time: null, type: 'FIRST_HEARING' as const, typeCode: 'FH', typeDescription: 'First Hearing' }],
      charges: [{
        sequence: 1, offence, offenceQualifier: null, wording: 'SECRET WORDING', offenceDate: '2026-01-01', arrestDate: '2026-01-02', chargeDate: '2026-01-03',
        plea: null, finding: { code: 'GUILTY' as const, spiCode: 'G', description: 'Guilty', convictionDate: '2026-03-01' },
        outcomes: [{ code: '1002', description: 'Imprisonment', text: 'SECRET RESULT TEXT', resultType: null, qualifiers: [] }],
      }],
    };
    const events = since(courtEventsOf(c), '2000-01-01');
    expect(events.map((x) => [x.date, x.kind, x.summary, x.reference])).toEqual([
      ['2026-03-01', 'FINDING', 'Guilty: Theft from a shop; results 1002', '01ZD0303208'],
      ['2026-02-01', 'HEARING', 'First Hearing at Bromley', '01ZD0303208'],
      ['2026-01-03', 'CHARGE', 'Charged: Theft from a shop', '01ZD0303208'],
    ]);
    expect(JSON.stringify(events.map(({ case: _c, ...x }) => x))).not.toMatch(/SECRET/);
  });
});

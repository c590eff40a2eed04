// Statistical disclosure control: no shown count is small, and no suppressed count can be worked out from
// what is shown. The recoverability check here is plain linear algebra over the table's equations (every
// row, column and the totals), independent of the graph reasoning platform/sdc.ts uses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controlTable, tabulate, type ControlledTable, type CountTable } from '../../platform/sdc.js';
import { DISCLOSURE_CONTROL, checkDisclosureControl } from '../../schema/policy/statistics.js';
import { recoverable } from '../helpers/sdc.js';

const RULE = DISCLOSURE_CONTROL['SDC-STANDARD'];

const allShown = (t: ControlledTable) => [...t.cells.flat(), ...(t.rowTotals ?? []), ...t.columnTotals, t.grandTotal];

const tables = fc.integer({ min: 1, max: 6 }).chain((R) => fc.integer({ min: 1, max: 6 }).chain((C) =>
  fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 40 })), { minLength: C, maxLength: C }), { minLength: R, maxLength: R })
    .map((counts): CountTable => ({ rows: counts.map((_, r) => `r${r}`), columns: Array.from({ length: C }, (_, c) => `c${c}`), counts }))));

describe('statistical disclosure control', () => {
  it('an analyst never sees a count below the threshold, in a cell or a total', () => {
    fc.assert(fc.property(tables, (t) => {
      const out = controlTable(t, RULE);
      for (const s of allShown(out)) if (!s.suppressed) expect(s.count).toBeGreaterThanOrEqual(RULE.threshold);
    }), { numRuns: 400 });
  });

  it('a suppressed cell cannot be recovered from the totals shown', () => {
    fc.assert(fc.property(tables, (t) => {
      expect(recoverable(controlTable(t, RULE))).toEqual([]);
    }), { numRuns: 400 });
  });

  it('suppressed cells are shown as suppressed, never as zero, and shown cells as counted', () => {
    fc.assert(fc.property(tables, (t) => {
      const out = controlTable(t, RULE);
      out.cells.forEach((line, r) => line.forEach((s, c) => {
        if (s.suppressed) expect(s).toMatchObject({ count: null, reason: expect.stringMatching(/^(SMALL_CELL|COMPLEMENTARY)$/) });
        else expect(s.count).toBe(t.counts[r][c]);
      }));
    }), { numRuns: 200 });
  });

  it('the one-cell-suppressed-in-a-row case: the next cell goes too, and the column totals do not give it away', () => {
    const t: CountTable = { rows: ['A', 'B', 'C'], columns: ['Jan', 'Feb'], counts: [[3, 20], [30, 40], [25, 26]] };
    const out = controlTable(t, RULE);
    expect(out.cells[0][0]).toEqual({ count: null, suppressed: true, reason: 'SMALL_CELL' });
    expect(out.cells.flat().filter((s) => s.reason === 'COMPLEMENTARY').length).toBeGreaterThanOrEqual(1);
    expect(recoverable(out)).toEqual([]);
    // Without the complementary cells the small one could be worked out (the check is not vacuous).
    const naive: ControlledTable = { ...out, cells: t.counts.map((line) => line.map((n) => (n < 5 ? { count: null, suppressed: true, reason: 'SMALL_CELL' as const } : { count: n, suppressed: false, reason: null }))),
      rowTotals: t.counts.map((line) => ({ count: line[0] + line[1], suppressed: false, reason: null })),
      columnTotals: [{ count: 58, suppressed: false, reason: null }, { count: 86, suppressed: false, reason: null }], grandTotal: { count: 144, suppressed: false, reason: null } };
    expect(recoverable(naive)).toEqual([{ kind: 'cell', r: 0, c: 0 }]);
  });

  it('a one-column table suppresses a second row (or the total) beside a small one', () => {
    const out = controlTable({ rows: ['HMP A', 'HMP B', 'HMP C'], columns: ['remand'], counts: [[2], [50], [60]] }, RULE);
    expect(out.rowTotals).toBeNull();
    expect(out.cells[0][0].suppressed).toBe(true);
    expect(out.cells[1][0]).toEqual({ count: null, suppressed: true, reason: 'COMPLEMENTARY' });
    expect(out.grandTotal.count).toBe(112);
    expect(recoverable(out)).toEqual([]);
  });

  it('tables of counts by pairs keep the given columns, zero-filled', () => {
    expect(tabulate([['a', 'x'], ['a', 'x'], ['b', 'y']], { columns: ['x', 'y', 'z'] })).toEqual({ rows: ['a', 'b'], columns: ['x', 'y', 'z'], counts: [[2, 0, 0], [0, 1, 0]] });
  });

  it('the rule is sound policy data', () => {
    expect(checkDisclosureControl()).toEqual([]);
    expect(checkDisclosureControl({ BAD: { description: '', threshold: 0, roundTo: 3, secondary: 'NOT_RECOVERABLE' } }, {})).toHaveLength(2);
  });
});

// Statistical disclosure control: no shown count is small, and no suppressed count can be worked out from
// what is shown. The recoverability check here is plain linear algebra over the table's equations (every
// row, column and the totals), independent of the graph reasoning platform/sdc.ts uses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controlTable, tabulate, type ControlledTable, type CountTable } from '../../platform/sdc.js';
import { DISCLOSURE_CONTROL, checkDisclosureControl } from '../../schema/policy/statistics.js';

const RULE = DISCLOSURE_CONTROL['SDC-STANDARD'];

interface Cellref { kind: 'cell' | 'row' | 'col' | 'grand'; r: number; c: number }

/** Every shown or suppressed value of the table and the equations relating them. */
function equationsOf(t: ControlledTable) {
  const R = t.rows.length, C = t.columns.length;
  const refs: { ref: Cellref; shown: number | null }[] = [];
  const idx = new Map<string, number>();
  const put = (ref: Cellref, shown: number | null) => { idx.set(`${ref.kind}:${ref.r}:${ref.c}`, refs.length); refs.push({ ref, shown }); };
  t.cells.forEach((line, r) => line.forEach((s, c) => put({ kind: 'cell', r, c }, s.count)));
  t.columnTotals.forEach((s, c) => put({ kind: 'col', r: -1, c }, s.count));
  if (t.rowTotals) {
    t.rowTotals.forEach((s, r) => put({ kind: 'row', r, c: -1 }, s.count));
    put({ kind: 'grand', r: -1, c: -1 }, t.grandTotal.count);
  }
  const at = (k: string, r: number, c: number) => idx.get(`${k}:${r}:${c}`)!;
  // Each equation: coefficients over refs, summing to 0.
  const eqs: Map<number, number>[] = [];
  const eq = (plus: number[], minus: number) => { const m = new Map<number, number>(); plus.forEach((p) => m.set(p, 1)); m.set(minus, -1); eqs.push(m); };
  for (let c = 0; c < C; c++) eq(Array.from({ length: R }, (_, r) => at('cell', r, c)), at('col', -1, c));
  if (t.rowTotals) {
    for (let r = 0; r < R; r++) eq(Array.from({ length: C }, (_, c) => at('cell', r, c)), at('row', r, -1));
    eq(Array.from({ length: C }, (_, c) => at('col', -1, c)), at('grand', -1, -1));
    eq(Array.from({ length: R }, (_, r) => at('row', r, -1)), at('grand', -1, -1));
  }
  return { refs, eqs };
}

function rank(rows: number[][]): number {
  const m = rows.map((r) => [...r]);
  let rk = 0;
  const n = m[0]?.length ?? 0;
  for (let col = 0; col < n && rk < m.length; col++) {
    let p = rk;
    for (let i = rk; i < m.length; i++) if (Math.abs(m[i][col]) > Math.abs(m[p][col])) p = i;
    if (Math.abs(m[p][col]) < 1e-9) continue;
    [m[rk], m[p]] = [m[p], m[rk]];
    for (let i = 0; i < m.length; i++) {
      if (i === rk) continue;
      const f = m[i][col] / m[rk][col];
      if (f !== 0) for (let j = col; j < n; j++) m[i][j] -= f * m[rk][j];
    }
    rk++;
  }
  return rk;
}

/** The suppressed values that a combination of the table's equations pins down from the shown ones. */
function recoverable(t: ControlledTable): Cellref[] {
  const { refs, eqs } = equationsOf(t);
  const unknown = refs.map((r, i) => (r.shown === null ? i : -1)).filter((i) => i >= 0);
  if (unknown.length === 0) return [];
  const A = eqs.map((e) => unknown.map((u) => e.get(u) ?? 0)).filter((row) => row.some((x) => x !== 0));
  const base = rank(A);
  return unknown.filter((_, j) => rank([...A, unknown.map((__, k) => (k === j ? 1 : 0))]) === base).map((j) => refs[unknown[j]].ref);
}

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

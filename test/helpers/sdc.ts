// Whether a table of counts as shown gives away a suppressed count: plain linear algebra over the
// table's equations (every row, column and the totals), independent of how platform/sdc.ts reasons.
import type { ControlledTable } from '../../platform/sdc.js';

export interface Cellref { kind: 'cell' | 'row' | 'col' | 'grand'; r: number; c: number }

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

/** The suppressed values that a combination of the table's equations pins down from the shown ones. */
export function recoverable(t: ControlledTable): Cellref[] {
  const { refs, eqs } = equationsOf(t);
  const unknown = refs.map((r, i) => (r.shown === null ? i : -1)).filter((i) => i >= 0);
  if (unknown.length === 0) return [];
  const n = unknown.length;
  const m = eqs.map((e) => Float64Array.from(unknown, (u) => e.get(u) ?? 0)).filter((row) => row.some((x) => x !== 0));
  // Reduced row echelon form: a value is pinned down exactly when its column is a pivot whose row has
  // nothing in any free column (every solution of the homogeneous system is zero there).
  const pivots: number[] = [];
  let rk = 0;
  for (let col = 0; col < n && rk < m.length; col++) {
    let p = rk;
    for (let i = rk; i < m.length; i++) if (Math.abs(m[i][col]) > Math.abs(m[p][col])) p = i;
    if (Math.abs(m[p][col]) < 1e-9) continue;
    [m[rk], m[p]] = [m[p], m[rk]];
    const pv = m[rk][col];
    for (let j = col; j < n; j++) m[rk][j] /= pv;
    for (let i = 0; i < m.length; i++) {
      if (i === rk) continue;
      const f = m[i][col];
      if (Math.abs(f) > 1e-12) for (let j = col; j < n; j++) m[i][j] -= f * m[rk][j];
    }
    pivots.push(col);
    rk++;
  }
  const isPivot = new Set(pivots);
  const out: Cellref[] = [];
  pivots.forEach((col, row) => {
    let free = false;
    for (let j = 0; j < n && !free; j++) if (!isPivot.has(j) && Math.abs(m[row][j]) > 1e-9) free = true;
    if (!free) out.push(refs[unknown[col]].ref);
  });
  return out;
}

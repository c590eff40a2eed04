// Statistical disclosure control of a table of counts, before it leaves the subgraph that counted it.
// The rule (threshold, rounding) is policy data (schema/policy/statistics.ts); this module applies it.
//
// Primary suppression: every cell and total under the threshold (zero included) is suppressed.
// Secondary suppression: the table's cells are the edges of a graph whose vertices are its lines (each
// row, each column, the total row and total column); a line whose total is shown is a constraint (its
// cells add up to its total). Lines without a shown total constrain nothing and are merged into one
// free vertex. A suppressed cell can be worked out from what is shown, by any sum and difference of
// rows and columns, exactly when it is a bridge of the graph of suppressed cells (it lies on no cycle).
// So: while a suppressed cell is a bridge, the cheapest path of cells closing a cycle through it (fewest
// people hidden, then fewest cells) is suppressed too. The whole table is fully suppressed at worst,
// which has no bridge, so the loop ends.

export interface SdcRule { threshold: number; roundTo: number }

/** A table of counts: `counts[r][c]` for row `rows[r]` and column `columns[c]`. */
export interface CountTable { rows: string[]; columns: string[]; counts: number[][] }

export type SuppressionReason = 'SMALL_CELL' | 'COMPLEMENTARY';

/** A count as shown: `count` null when suppressed (never 0 in its place), and why. */
export interface ShownCount { count: number | null; suppressed: boolean; reason: SuppressionReason | null }

export interface ControlledTable {
  rows: string[];
  columns: string[];
  cells: ShownCount[][];
  /** Row totals; null for a one-column table (a row's total is its one cell). */
  rowTotals: ShownCount[] | null;
  columnTotals: ShownCount[];
  /** The table's total: the column total itself for a one-column table. */
  grandTotal: ShownCount;
}

interface Edge { id: number; u: number; v: number; count: number; suppressed: boolean; reason: SuppressionReason | null }

/** Builds the graph of a table: vertices are lines (merged into vertex 0 when they constrain nothing). */
function graphOf(t: CountTable) {
  const R = t.rows.length;
  const C = t.columns.length;
  const margins = C > 1; // a one-column table has no row totals, so its rows constrain nothing
  // Vertex ids: 0 free; rows 1..R; total row R+1; columns R+2..R+C+1; total column R+C+2.
  const FREE = 0;
  const row = (r: number) => (margins ? 1 + r : FREE);
  const totalRow = margins ? R + 1 : FREE;
  const col = (c: number) => R + 2 + c;
  const totalCol = R + C + 2;
  const edges: Edge[] = [];
  const add = (u: number, v: number, count: number) => { edges.push({ id: edges.length, u, v, count, suppressed: false, reason: null }); return edges.length - 1; };
  const cell: number[][] = t.counts.map((line, r) => line.map((n, c) => add(row(r), col(c), n)));
  const colSums = t.columns.map((_, c) => t.counts.reduce((s, line) => s + line[c], 0));
  const columnTotal = colSums.map((n, c) => add(totalRow, col(c), n));
  const rowTotal = margins ? t.counts.map((line, r) => add(row(r), totalCol, line.reduce((s, n) => s + n, 0))) : null;
  const grand = margins ? add(totalRow, totalCol, colSums.reduce((s, n) => s + n, 0)) : columnTotal[0];
  return { edges, vertices: R + C + 3, cell, columnTotal, rowTotal, grand };
}

/** Suppressed edges that lie on no cycle of the suppressed graph (Tarjan's bridges). */
function bridges(vertices: number, edges: Edge[]): Edge[] {
  const adj: { to: number; id: number }[][] = Array.from({ length: vertices }, () => []);
  for (const e of edges) if (e.suppressed) { adj[e.u].push({ to: e.v, id: e.id }); adj[e.v].push({ to: e.u, id: e.id }); }
  const disc = new Array<number>(vertices).fill(-1);
  const low = new Array<number>(vertices).fill(0);
  const out: Edge[] = [];
  let time = 0;
  const visit = (v: number, viaEdge: number) => {
    disc[v] = low[v] = time++;
    for (const { to, id } of adj[v]) {
      if (id === viaEdge) continue; // parallel edges are other ids: they count as cycles
      if (disc[to] === -1) {
        visit(to, id);
        low[v] = Math.min(low[v], low[to]);
        if (low[to] > disc[v]) out.push(edges[id]);
      } else low[v] = Math.min(low[v], disc[to]);
    }
  };
  for (let v = 0; v < vertices; v++) if (disc[v] === -1) visit(v, -1);
  return out;
}

/** The cheapest path from `from` to `to` avoiding edge `skip`: suppressed cells are free, others cost their count (then one each). */
function cheapestPath(vertices: number, edges: Edge[], from: number, to: number, skip: number): Edge[] | null {
  const adj: { to: number; e: Edge }[][] = Array.from({ length: vertices }, () => []);
  for (const e of edges) if (e.id !== skip) { adj[e.u].push({ to: e.v, e }); adj[e.v].push({ to: e.u, e }); }
  const dist = new Array<number>(vertices).fill(Infinity);
  const via = new Array<Edge | null>(vertices).fill(null);
  const done = new Array<boolean>(vertices).fill(false);
  dist[from] = 0;
  for (;;) {
    let v = -1;
    for (let i = 0; i < vertices; i++) if (!done[i] && dist[i] < Infinity && (v === -1 || dist[i] < dist[v])) v = i;
    if (v === -1) return null;
    if (v === to) break;
    done[v] = true;
    for (const { to: w, e } of adj[v]) {
      const d = dist[v] + (e.suppressed ? 0 : e.count * 10_000 + 1);
      if (d < dist[w]) { dist[w] = d; via[w] = e; }
    }
  }
  const path: Edge[] = [];
  for (let v = to; v !== from;) { const e = via[v]!; path.push(e); v = e.u === v ? e.v : e.u; }
  return path;
}

const shown = (e: Edge, roundTo: number): ShownCount => (e.suppressed
  ? { count: null, suppressed: true, reason: e.reason }
  : { count: roundTo > 1 ? Math.round(e.count / roundTo) * roundTo : e.count, suppressed: false, reason: null });

/** The table as it may be shown under `rule`: small cells and totals suppressed, then complementary cells until none is recoverable. */
export function controlTable(table: CountTable, rule: SdcRule): ControlledTable {
  for (const line of table.counts) {
    if (line.length !== table.columns.length) throw new TypeError('every row needs one count per column');
    for (const n of line) if (!Number.isInteger(n) || n < 0) throw new TypeError('counts are whole numbers, 0 or more');
  }
  if (table.counts.length !== table.rows.length) throw new TypeError('one line of counts per row');
  if (table.columns.length === 0) throw new TypeError('a table needs a column');
  const g = graphOf(table);
  for (const e of g.edges) if (e.count < rule.threshold) { e.suppressed = true; e.reason = 'SMALL_CELL'; }
  for (let found = bridges(g.vertices, g.edges); found.length > 0; found = bridges(g.vertices, g.edges)) {
    const e = found[0];
    const path = cheapestPath(g.vertices, g.edges, e.u, e.v, e.id);
    if (!path) throw new Error('disclosure control: a suppressed cell cannot be protected'); // never: the whole table has no bridge
    for (const p of path) if (!p.suppressed) { p.suppressed = true; p.reason = 'COMPLEMENTARY'; }
  }
  return {
    rows: [...table.rows],
    columns: [...table.columns],
    cells: g.cell.map((line) => line.map((id) => shown(g.edges[id], rule.roundTo))),
    rowTotals: g.rowTotal ? g.rowTotal.map((id) => shown(g.edges[id], rule.roundTo)) : null,
    columnTotals: g.columnTotal.map((id) => shown(g.edges[id], rule.roundTo)),
    grandTotal: shown(g.edges[g.grand], rule.roundTo),
  };
}

/** Counts by (row, column) key pairs into a table with rows and columns in the given (or sorted) order. */
export function tabulate(pairs: Iterable<readonly [string, string]>, opts: { rows?: string[]; columns?: string[] } = {}): CountTable {
  const counts = new Map<string, Map<string, number>>();
  const rowSet = new Set(opts.rows ?? []);
  const colSet = new Set(opts.columns ?? []);
  for (const [r, c] of pairs) {
    rowSet.add(r);
    colSet.add(c);
    const line = counts.get(r) ?? new Map<string, number>();
    line.set(c, (line.get(c) ?? 0) + 1);
    counts.set(r, line);
  }
  const rows = opts.rows ? [...opts.rows, ...[...rowSet].filter((r) => !opts.rows!.includes(r)).sort()] : [...rowSet].sort();
  const columns = opts.columns ? [...opts.columns, ...[...colSet].filter((c) => !opts.columns!.includes(c)).sort()] : [...colSet].sort();
  return { rows, columns, counts: rows.map((r) => columns.map((c) => counts.get(r)?.get(c) ?? 0)) };
}

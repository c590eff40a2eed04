// Aggregates leave a subgraph only as tables of counts under statistical disclosure control: the rule
// the policy names for the field (schema/policy/statistics.ts), applied by platform/sdc.ts to the whole
// table before any page of it is cut. Rows are paged (`first`, `after`) as worklists are; totals are the
// whole table's, so every page shows the same suppression.
import { controlTable, type ControlledTable, type CountTable, type ShownCount } from '../platform/sdc.js';
import { disclosureControlFor } from '../schema/policy/statistics.js';
import { pageOf } from './paging.js';

export interface StatisticsTableAnswer {
  title: string;
  rowsAre: string;
  columnsAre: string;
  columns: string[];
  rows: { key: string; label: string | null; cells: ShownCount[]; total: ShownCount | null }[];
  totalRows: number;
  nextCursor: string | null;
  columnTotals: ShownCount[];
  total: ShownCount;
  disclosureControl: { rule: string; threshold: number; roundTo: number };
}

export interface TableSpec {
  title: string;
  rowsAre: string;
  columnsAre: string;
  table: CountTable;
  /** Names of row keys (a court's name for its code). */
  labels?: (key: string) => string | null;
}

/** The table released under the rule of `subgraph`'s aggregate field `coordinate`, one page of its rows. */
export function releaseTable(subgraph: string, coordinate: string, spec: TableSpec, page: { first?: number | null; after?: string | null }): StatisticsTableAnswer {
  const rule = disclosureControlFor(subgraph, coordinate);
  const controlled: ControlledTable = controlTable(spec.table, rule);
  const index = new Map(controlled.rows.map((k, i) => [k, i]));
  const p = pageOf(controlled.rows, page);
  return {
    title: spec.title,
    rowsAre: spec.rowsAre,
    columnsAre: spec.columnsAre,
    columns: controlled.columns,
    rows: p.keys.map((key) => {
      const i = index.get(key)!;
      return { key, label: spec.labels?.(key) ?? null, cells: controlled.cells[i], total: controlled.rowTotals?.[i] ?? null };
    }),
    totalRows: p.totalCount,
    nextCursor: p.nextCursor,
    columnTotals: controlled.columnTotals,
    total: controlled.grandTotal,
    disclosureControl: { rule: rule.id, threshold: rule.threshold, roundTo: rule.roundTo },
  };
}

/** Whole months `YYYY-MM` from `from` to `to`, at most `max` of them; throws a sentence for the caller otherwise. */
export function monthsBetween(from: string, to: string, max: number): string[] {
  const re = /^(\d{4})-(0[1-9]|1[0-2])$/;
  const a = re.exec(from);
  const b = re.exec(to);
  if (!a || !b) throw new RangeError('fromMonth and toMonth are months written YYYY-MM');
  const start = Number(a[1]) * 12 + Number(a[2]) - 1;
  const end = Number(b[1]) * 12 + Number(b[2]) - 1;
  if (end < start) throw new RangeError('toMonth is before fromMonth');
  if (end - start + 1 > max) throw new RangeError(`at most ${max} months in one report`);
  return Array.from({ length: end - start + 1 }, (_, i) => `${Math.floor((start + i) / 12)}-${String(((start + i) % 12) + 1).padStart(2, '0')}`);
}

/** The last day of a month `YYYY-MM`. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (ISO dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

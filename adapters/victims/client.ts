// The only code that knows how the victim contact system's exports are laid out on disk. It reads the
// newest VICTIMS csv and VCS dat in place, checks their trailers, joins them by victim id and maps each
// victim on its own, so one broken row is BAD_SOURCE_DATA for that victim only. Parsed exports are kept
// until a file changes (see ExportReader), so a batch of lookups costs at most one read of each file.
import { parse } from 'csv-parse/sync';
import { AdapterError, mapRecord, unreadableReason } from '../errors.js';
import { ExportReader, fileLines, newestExport } from '../files.js';
import { policyFor, type LegacyPolicy, type LegacyPolicyOptions } from '../resilience.js';
import type { Env } from '../../subgraphs/types.js';
import { loadConfig, type VictimsConfig } from './config.js';
import { mapVictim, urnKey, type Victim } from './mapping.js';
import { CSV_TRAILER, VCS_DETAIL_LAYOUT, VCS_HEADER, VCS_TRAILER, VCS_DAT_NAME, VICTIMS_CSV_COLUMNS, VICTIMS_CSV_NAME } from './wire.js';

const AGENCY = 'victims';
export const OPERATIONS = { csv: 'read VICTIMS export', vcs: 'read VCS export', health: 'list exports' } as const;

export type VictimResult = Victim | AdapterError;

/** Victims per data-quality scan page (the page is cut from the export already read, not a new read). */
export const SCAN_PAGE_SIZE = 200;

/** The victims CSV after its header and trailer were checked: data rows as raw cells. */
export interface CsvExport {
  header: string[];
  rows: string[][];
}
/** The VCS export's detail records, by the victim id in columns 2-11. */
export interface VcsExport {
  byVictim: Map<string, string[]>;
}
/** Every victim of the current exports, mapped, by case URN and by id. */
export interface VictimsIndex {
  byCase: Map<string, VictimResult[]>;
  byId: Map<string, VictimResult>;
}

const badExport = (operation: string, detail: string, cause?: unknown) =>
  new AdapterError({ agency: AGENCY, operation, code: 'BAD_SOURCE_DATA', message: `${AGENCY} system export could not be read`, detail, cause });

/** Parses the victims CSV with csv-parse, checks the header names and the trailer count. */
export function parseVictimsCsv(text: string): CsvExport {
  let records: string[][];
  try {
    // relax_column_count: a row with the wrong number of cells is that victim's problem, not the file's.
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw badExport(OPERATIONS.csv, 'not valid CSV', err);
  }
  const header = (records[0] ?? []).map((h) => h.trim().toUpperCase());
  const missing = VICTIMS_CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw badExport(OPERATIONS.csv, `header lacks ${missing.join(', ')}`);
  const rows = records.slice(1);
  const last = rows[rows.length - 1];
  if (last && last[0]?.trim().toUpperCase() === CSV_TRAILER) {
    rows.pop();
    const declared = (last[1] ?? '').trim();
    // A count that disagrees means the export job stopped part way: rows may be missing without trace.
    if (!/^\d+$/.test(declared) || Number(declared) !== rows.length) throw badExport(OPERATIONS.csv, `trailer declares ${/^\d+$/.test(declared) ? Number(declared) : 'no number of'} rows, file holds ${rows.length}`);
  }
  return { header, rows };
}

const ID_FIELD = VCS_DETAIL_LAYOUT.find((f) => f.name === 'VICTIM_ID')!;

/** Splits the VCS export into detail records by victim id and checks the trailer count. */
export function parseVcsDat(text: string): VcsExport {
  const lines = fileLines(text);
  if (lines[0]?.startsWith(VCS_HEADER)) lines.shift();
  const last = lines[lines.length - 1];
  if (last?.startsWith(VCS_TRAILER)) {
    lines.pop();
    const declared = last.slice(1, 10);
    if (!/^\d{9}$/.test(declared) || Number(declared) !== lines.length) throw badExport(OPERATIONS.vcs, `trailer declares ${/^\d{9}$/.test(declared) ? Number(declared) : 'no number of'} records, file holds ${lines.length}`);
  }
  const byVictim = new Map<string, string[]>();
  for (const line of lines) {
    // The id is taken by position even from a broken record, so the breakage lands on that victim.
    const id = line.slice(ID_FIELD.start - 1, ID_FIELD.start - 1 + ID_FIELD.width).trim();
    if (!id) continue;
    (byVictim.get(id) ?? byVictim.set(id, []).get(id)!).push(line);
  }
  return { byVictim };
}

/** Joins both exports by victim id and maps every victim; closed records are left out. */
export function indexVictims(csv: CsvExport, vcs: VcsExport): VictimsIndex {
  const idAt = csv.header.indexOf('VICTIM_ID');
  const urnAt = csv.header.indexOf('PTIURN');
  const byCase = new Map<string, VictimResult[]>();
  const byId = new Map<string, VictimResult>();
  for (const cells of csv.rows) {
    const id = (cells[idAt] ?? '').trim();
    if (!id) continue; // a row without an id cannot be attributed to any victim, or shown to anyone
    const result = mapRecord(AGENCY, OPERATIONS.csv, id, { header: csv.header, cells, vcsLines: vcs.byVictim.get(id) ?? [] }, mapVictim);
    if (result === null) continue;
    const urn = result instanceof AdapterError ? urnKey(cells[urnAt] ?? '') : result.caseUrn;
    const key = id.toUpperCase();
    if (byId.has(key)) {
      // Two rows for one victim id: neither can be trusted over the other.
      const dup = new AdapterError({ agency: AGENCY, operation: OPERATIONS.csv, code: 'BAD_SOURCE_DATA', recordId: id, message: `${AGENCY} record ${id} could not be read: the export holds it twice` });
      byId.set(key, dup);
      for (const list of byCase.values()) list.forEach((v, i) => { if (!(v instanceof AdapterError) && v.id === id) list[i] = dup; });
      if (urn) (byCase.get(urn) ?? byCase.set(urn, []).get(urn)!).push(dup);
      continue;
    }
    byId.set(key, result);
    if (urn) (byCase.get(urn) ?? byCase.set(urn, []).get(urn)!).push(result);
  }
  return { byCase, byId };
}

export class VictimsClient {
  readonly agency = AGENCY;
  private readonly reader: ExportReader;
  private last: { csv: CsvExport; vcs: VcsExport; index: VictimsIndex } | null = null;
  /** Breaker, bulkhead, timeout and retries of the export folder (a network share in a real deployment). */
  readonly policy: LegacyPolicy;

  constructor(readonly config: VictimsConfig, options: LegacyPolicyOptions = {}) {
    this.reader = new ExportReader(AGENCY, config.timeoutMs);
    this.policy = policyFor(AGENCY, config, options);
  }

  /** One export read through the policy: reading a file changes nothing, so it may be retried. */
  private readExport<T>(operation: string, name: RegExp, parse: (text: string) => T): Promise<T> {
    return this.policy.run({ operation, kind: 'read' }, async (signal) => {
      const file = await newestExport(AGENCY, operation, this.folder(operation), name, signal);
      return this.reader.read(file, operation, parse, signal);
    });
  }

  /** Export files this client has actually read (an unchanged export is not read again). */
  get reads(): number {
    return this.reader.reads;
  }

  private folder(operation: string): string {
    if (!this.config.exportDir) throw new AdapterError({ agency: AGENCY, operation, code: 'SOURCE_UNAVAILABLE', systemFault: false, detail: 'export folder is not configured' });
    return this.config.exportDir;
  }

  /** The mapped victims of the newest exports; both files are read only when they changed. */
  async snapshot(): Promise<VictimsIndex> {
    const [csv, vcs] = await Promise.all([
      this.readExport(OPERATIONS.csv, VICTIMS_CSV_NAME, parseVictimsCsv),
      this.readExport(OPERATIONS.vcs, VCS_DAT_NAME, parseVcsDat),
    ]);
    if (this.last?.csv !== csv || this.last.vcs !== vcs) this.last = { csv, vcs, index: indexVictims(csv, vcs) };
    return this.last.index;
  }

  /** Victims of each case URN (an unknown case has none); one snapshot for the whole batch. */
  async victimsByCase(urns: readonly string[]): Promise<Map<string, VictimResult[]>> {
    const index = await this.snapshot();
    return new Map(urns.map((urn) => [urn, index.byCase.get(urnKey(urn)) ?? []]));
  }

  /** Victims by id; ids not in the export are absent from the answer. */
  async victimsById(ids: readonly string[]): Promise<Map<string, VictimResult>> {
    const index = await this.snapshot();
    const out = new Map<string, VictimResult>();
    for (const id of ids) {
      const v = index.byId.get(id.trim().toUpperCase());
      if (v) out.set(id, v);
    }
    return out;
  }

  /** The victims a victim liaison officer looks after (by staff code), with their case URNs. */
  async victimsOfOfficer(staffCode: string): Promise<{ victimId: string; caseUrn: string }[]> {
    const index = await this.snapshot();
    const code = staffCode.trim().toUpperCase();
    const out: { victimId: string; caseUrn: string }[] = [];
    for (const v of index.byId.values()) if (!(v instanceof AdapterError) && v.liaisonOfficer?.toUpperCase() === code) out.push({ victimId: v.id, caseUrn: v.caseUrn });
    return out;
  }

  /**
   * One page of the data-quality scan of the current exports: the victims (in id order, after `after`)
   * last updated on or after `since`, and every victim whose record cannot be read or is undated (it
   * cannot be placed before the date). Readable victims are counted only (they name nobody another
   * agency holds); unreadable ones are kept by id with why (the field and the expectation, never the
   * value). The exports are read once each, and not again while unchanged, however many pages are asked.
   */
  async scanSince(since: string, after: string | null, size = SCAN_PAGE_SIZE): Promise<{ unlinked: number; unreadable: { localId: string; reason: string }[]; after: string | null }> {
    const index = await this.snapshot();
    const ids = [...index.byId.keys()].filter((id) => after == null || id > after).sort();
    let unlinked = 0;
    const unreadable: { localId: string; reason: string }[] = [];
    let taken = 0;
    let last: string | null = null;
    for (const id of ids) {
      if (taken === size) return { unlinked, unreadable, after: last };
      const v = index.byId.get(id)!;
      if (v instanceof AdapterError) unreadable.push({ localId: id, reason: unreadableReason(v) });
      else if (v.lastUpdated == null || v.lastUpdated.slice(0, 10) >= since) unlinked++;
      else continue; // last updated before the window: not this report's
      taken++;
      last = id;
    }
    return { unlinked, unreadable, after: null };
  }

  /** Proves both current exports are present without reading them. */
  async health(): Promise<void> {
    await this.policy.run({ operation: OPERATIONS.health, kind: 'read' }, async (signal) => {
      const dir = this.folder(OPERATIONS.health);
      await Promise.all([
        newestExport(AGENCY, OPERATIONS.health, dir, VICTIMS_CSV_NAME, signal),
        newestExport(AGENCY, OPERATIONS.health, dir, VCS_DAT_NAME, signal),
      ]);
    });
  }

  async close(): Promise<void> {
    this.reader.clear();
    this.last = null;
  }
}

export function createVictimsClient(env: Env): VictimsClient {
  return new VictimsClient(loadConfig(env));
}

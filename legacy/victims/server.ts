// Stand-in for the victim contact system. It has no server: like the real system it writes nightly
// flat-file exports into a folder, and the adapter reads them in place.
//   VICTIMS_<YYYYMMDD>.csv  victims: BOM, CRLF, legacy column names, DD/MM/YYYY, Y/N, "SURNAME, Forenames"
//                           quoted, and a `TRAILER,<count>` row.
//   VCS_<YYYYMMDD>.dat      victim contact scheme decisions and contact preferences: fixed width (LAYOUT
//                           below), YYYYMMDD, space padded, header `H` and trailer `T` records, LF endings.
// Each file is written to a temporary name and renamed, so a reader never sees half an export (the pair
// is not atomic: for a moment a new CSV can sit beside the previous VCS file, as on the real share).
//
// Faults, applied whenever an export is written (and every faults.set()/reset() writes a new export):
//   down       the current exports are removed, so the folder holds no export to read;
//   malformed  each victim is broken with that probability: an impossible date, a row with a missing or
//              extra column, a truncated fixed-width record or an unknown flag;
//   error      (rolled once per export) the export job stops part way: the CSV holds fewer rows than its
//              trailer declares;
//   latency    does not apply: reading a file is the adapter's own I/O, and the stand-in cannot slow it.
// `requests` counts what the stand-in can see, the exports it writes; the adapter counts its own reads.
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultControl, RequestCounter, type Faults, type StandIn, type StandInOptions, type StartStandIn } from '../faults.js';
import { rng, type VictimRecord } from '../population.js';

export const OPERATIONS = { csv: 'WRITE VICTIMS export', vcs: 'WRITE VCS export', remove: 'REMOVE exports' } as const;

/** The system's VCS export specification: 1-based start column and width of each detail field. */
export const LAYOUT = {
  REC_TYPE: [1, 1],
  VICTIM_ID: [2, 10],
  VCS_OPT_IN: [12, 1],
  DECISION_DT: [13, 8],
  CONTACT_MTHD: [21, 3],
  EMAIL_ADDR: [24, 60],
  TEL_NO: [84, 20],
} as const;
const RECORD_LENGTH = 103;
const CSV_HEADER = ['VICTIM_ID', 'PTIURN', 'VICTIM_NAME', 'DOB', 'ADDR_1', 'ADDR_2', 'TOWN', 'POSTCODE', 'VLO_CODE', 'DELETED_IND', 'LAST_UPD'];
const METHOD_CODES = { EMAIL: 'EML', PHONE: 'TEL', LETTER: 'LET', NONE: 'NON' } as const;

/** The stand-in with what a file-based system adds: its folder, its file names and a way to export now. */
export interface VictimsStandIn extends StandIn {
  dir: string;
  files: { csv: string; vcs: string };
  /** Writes a new export of both files now, with the current faults. */
  rewrite(): Promise<void>;
}

/** A FaultControl that writes a new export whenever the faults change, so a switched fault shows at once. */
class ExportFaults extends FaultControl {
  onChange: () => void = () => {};
  override set(faults: Partial<Faults>): void {
    const before = this.current;
    super.set(faults);
    const after = this.current;
    // Latency does not apply to files: a change of latency alone leaves the export (and the adapter's cache) as it is.
    if (before.down !== after.down || before.errorRate !== after.errorRate || before.malformedRate !== after.malformedRate
      || before.malformedRecords.join() !== after.malformedRecords.join()) this.onChange();
  }
  override reset(): void {
    super.reset();
    this.onChange();
  }
}

const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const compact = (iso: string) => iso.replaceAll('-', '');
const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const field = (name: keyof typeof LAYOUT, value: string) => value.padEnd(LAYOUT[name][1]).slice(0, LAYOUT[name][1]);

function csvLine(v: VictimRecord, broken: number | null): string {
  const cells = [
    v.victimId, v.caseUrn, `${v.surname.toUpperCase()}, ${v.forename}`, v.dateOfBirth ? ddmmyyyy(v.dateOfBirth) : '',
    v.address.line1, v.address.line2, v.address.town.toUpperCase(), v.address.postcode, v.liaisonOfficer, 'N',
    ddmmyyyy(v.vcsDecisionDate ?? '2000-01-01'),
  ];
  if (broken === 0) cells[3] = `31/02/${(v.dateOfBirth ?? '1980').slice(0, 4)}`; // an impossible date
  if (broken === 1) cells.splice(5, 1); // the export dropped a column from this row
  if (broken === 2) return cells.map((c, i) => (i === 2 ? c : csvCell(c))).join(','); // the name's comma left unquoted
  return cells.map(csvCell).join(',');
}

function vcsLine(v: VictimRecord, broken: number | null): string {
  const line =
    field('REC_TYPE', 'D') + field('VICTIM_ID', v.victimId) + field('VCS_OPT_IN', broken === 2 ? 'X' : v.vcsOptedIn ? 'Y' : 'N') +
    field('DECISION_DT', broken === 0 ? `${(v.vcsDecisionDate ?? '2026').slice(0, 4)}0230` : v.vcsDecisionDate ? compact(v.vcsDecisionDate) : '') +
    field('CONTACT_MTHD', METHOD_CODES[v.contactMethod]) + field('EMAIL_ADDR', v.email ?? '') + field('TEL_NO', v.phone ?? '');
  return broken === 1 ? line.slice(0, 60) : line; // a record cut short
}

export const startStandIn = (async (options: StandInOptions): Promise<VictimsStandIn> => {
  const created = options.dataDir ? null : await mkdtemp(join(tmpdir(), 'victims-export-'));
  const dir = options.dataDir ?? created!;
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const { population } = options;
  const date = compact(population.referenceDate);
  const files = { csv: `VICTIMS_${date}.csv`, vcs: `VCS_${date}.dat` };
  const faults = new ExportFaults(options.faultSeed);
  const requests = new RequestCounter();
  const dice = rng((options.faultSeed ?? 1) + 7919); // its own dice: which victims an export breaks
  let tmpSeq = 0;
  let open = true;

  // Write then rename within the folder: rename is atomic, so the adapter sees the old file or the new one.
  const atomicWrite = (name: string, content: string) => {
    const tmp = join(dir, `.${name}.${process.pid}.${++tmpSeq}.tmp`);
    writeFileSync(tmp, content);
    renameSync(tmp, join(dir, name));
  };

  const writeExports = () => {
    if (!open) return;
    const f = faults.current;
    if (f.down) {
      for (const name of Object.values(files)) rmSync(join(dir, name), { force: true });
      requests.count(OPERATIONS.remove);
      return;
    }
    const csvRows: string[] = [];
    const vcsRows: string[] = [];
    for (const v of population.victims) {
      // A listed victim always gets an impossible date of birth; otherwise the dice decide, if asked to.
      const broken = f.malformedRecords.includes(v.victimId) ? 0 : f.malformedRate > 0 && dice() < f.malformedRate ? Math.floor(dice() * 6) : null;
      csvRows.push(csvLine(v, broken !== null && broken < 3 ? broken : null));
      vcsRows.push(vcsLine(v, broken !== null && broken >= 3 ? broken - 3 : null));
    }
    const declared = csvRows.length;
    // The export job stopped part way: its trailer still declares every row.
    if (f.errorRate > 0 && dice() < f.errorRate) csvRows.length = Math.floor(csvRows.length * 0.66);
    atomicWrite(files.vcs, [
      `H${'VCS'.padEnd(8)}${date}`.padEnd(RECORD_LENGTH), ...vcsRows, `T${String(vcsRows.length).padStart(9, '0')}`.padEnd(RECORD_LENGTH), '',
    ].join('\n'));
    requests.count(OPERATIONS.vcs);
    atomicWrite(files.csv, '\uFEFF' + [CSV_HEADER.join(','), ...csvRows, `TRAILER,${declared}`, ''].join('\r\n'));
    requests.count(OPERATIONS.csv);
  };

  writeExports();
  faults.onChange = writeExports;

  return {
    agency: 'victims',
    location: dir,
    env: { VICTIMS_EXPORT_DIR: dir },
    faults,
    requests,
    dir,
    files,
    rewrite: async () => writeExports(),
    close: async () => {
      open = false;
      faults.onChange = () => {};
      if (created) await rm(created, { recursive: true, force: true });
    },
  };
}) satisfies StartStandIn;

// The victim contact system's nightly exports, as they land in the export folder.
//
// VICTIMS_<YYYYMMDD>.csv: one row per victim. UTF-8 with a byte-order mark, CRLF line endings, a header
// row of the system's own column names, fields quoted only when they hold a comma or a quote, dates as
// DD/MM/YYYY, Y/N flags, and a last row `TRAILER,<number of victim rows>`.
//
// VCS_<YYYYMMDD>.dat: one fixed-width record per victim holding the victim contact scheme (VCS) decision
// and contact preferences, space padded, dates as YYYYMMDD; a header record (`H`) and a trailer record
// (`T` + count) around the detail records (`D`).
import type { FixedWidthField } from '../files.js';

/** File names of the two exports; the capture group is the export date. Temporary files never match. */
export const VICTIMS_CSV_NAME = /^VICTIMS_(\d{8})\.csv$/;
export const VCS_DAT_NAME = /^VCS_(\d{8})\.dat$/;

/** Columns of the victims CSV, by their header names (the adapter reads by name, not position). */
export const VICTIMS_CSV_COLUMNS = [
  'VICTIM_ID', // V0000001
  'PTIURN', // the case URN, e.g. 01ZD0303208
  'VICTIM_NAME', // "SURNAME, Forenames", quoted because of the comma
  'DOB', // DD/MM/YYYY, blank when not known
  'ADDR_1',
  'ADDR_2',
  'TOWN',
  'POSTCODE',
  'VLO_CODE', // staff code of the assigned victim liaison officer, e.g. VLO012
  'DELETED_IND', // Y when the record was closed; closed records stay in the export
  'LAST_UPD', // DD/MM/YYYY, when the record last changed
] as const;
export type VictimsCsvColumn = (typeof VICTIMS_CSV_COLUMNS)[number];
export type VictimCsvRow = Record<VictimsCsvColumn, string>;

/** First cell of the CSV's trailer row; the second cell is the number of victim rows. */
export const CSV_TRAILER = 'TRAILER';

/** Layout of a VCS detail record (`D`). Columns are 1-based, as in the system's export specification. */
export const VCS_DETAIL_LAYOUT = [
  { name: 'REC_TYPE', start: 1, width: 1, description: 'D for a detail record' },
  { name: 'VICTIM_ID', start: 2, width: 10, description: 'victim id, left aligned' },
  { name: 'VCS_OPT_IN', start: 12, width: 1, description: 'Y opted in, N declined, space no decision recorded' },
  { name: 'DECISION_DT', start: 13, width: 8, description: 'date of the decision, YYYYMMDD, spaces when none' },
  { name: 'CONTACT_MTHD', start: 21, width: 3, description: 'EML email, TEL telephone, LET letter, NON no contact' },
  { name: 'EMAIL_ADDR', start: 24, width: 60, description: 'email address, blank when none' },
  { name: 'TEL_NO', start: 84, width: 20, description: 'telephone number as keyed, blank when none' },
] as const satisfies readonly FixedWidthField[];
export type VcsDetailField = (typeof VCS_DETAIL_LAYOUT)[number]['name'];
export type VcsDetailRecord = Record<VcsDetailField, string>;

/** Every VCS record has the detail record's length; header and trailer are padded to it. */
export const VCS_RECORD_LENGTH = 103;
/** Header: `H`, `VCS` padded to 8, the export date YYYYMMDD. Trailer: `T`, the number of detail records in 9 digits. */
export const VCS_HEADER = 'H';
export const VCS_TRAILER = 'T';
export const VCS_DETAIL = 'D';

// Pure mapping from the victim contact system's export rows to the common model's Victim. Every
// function here is input → output; anything that cannot be read faithfully throws MappingError, which
// the client turns into BAD_SOURCE_DATA for that one victim. Error details never echo a victim's
// address, email or phone.
import { MappingError } from '../errors.js';
import { cutFixedWidth } from '../files.js';
import { displayName, parseLegacyDate, parseOptionalDate, splitFullName } from '../normalise.js';
import { personName, type Address, type PersonName } from '../../schema/model.js';
import { VCS_DETAIL, VCS_DETAIL_LAYOUT, VCS_RECORD_LENGTH, type VcsDetailRecord, type VictimCsvRow, type VictimsCsvColumn } from './wire.js';

export type ContactMethod = 'EMAIL' | 'PHONE' | 'LETTER' | 'NONE';

export interface VictimContactScheme {
  optedIn: boolean;
  /** ISO date of the opt-in or decline decision; null when none is recorded. */
  decisionDate: string | null;
}

export interface ContactPreferences {
  method: ContactMethod | null;
  email: string | null;
  phone: string | null;
}

export interface Victim {
  id: string;
  /** The case URN (PTIURN), upper case. */
  caseUrn: string;
  name: PersonName;
  dateOfBirth: string | null;
  address: Address;
  /** Null when the VCS export holds no record for this victim. */
  contactScheme: VictimContactScheme | null;
  contactPreferences: ContactPreferences | null;
  /** Staff code of the assigned victim liaison officer. */
  liaisonOfficer: string | null;
  lastUpdated: string | null;
}

/** One victim as the two exports hold it: the CSV row's cells under its header, and the VCS record line if any. */
export interface VictimWire {
  header: string[];
  cells: string[];
  vcsLines: string[];
}

const METHODS: Record<string, ContactMethod> = { EML: 'EMAIL', TEL: 'PHONE', LET: 'LETTER', NON: 'NONE' };
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE = /^\+?[0-9 ()-]{6,20}$/;

/** Trimmed text or null when blank. */
const text = (v: string | undefined): string | null => (v == null || v.trim() === '' ? null : v.trim().replace(/\s+/g, ' '));

/** A case URN (PTIURN) as a join key: upper case, no spaces. */
export const urnKey = (urn: string): string => urn.replace(/\s+/g, '').toUpperCase();

/** Lines up a CSV row's cells with the header; a row with a different number of cells has shifted columns. */
export function csvRow(header: string[], cells: string[]): VictimCsvRow {
  if (cells.length !== header.length) throw new MappingError('row', `${header.length} columns, got ${cells.length}`);
  const row = {} as Record<string, string>;
  header.forEach((name, i) => (row[name] = cells[i]));
  return row as VictimCsvRow;
}

/** Cuts a VCS detail record by its layout. */
export function vcsRecord(line: string): VcsDetailRecord {
  const rec = cutFixedWidth(line, VCS_DETAIL_LAYOUT, VCS_RECORD_LENGTH);
  if (rec.REC_TYPE !== VCS_DETAIL) throw new MappingError('REC_TYPE', `record type ${VCS_DETAIL}, got "${rec.REC_TYPE}"`);
  return rec;
}

/** Y/N flag; blank is `blank`. */
function flag(value: string, field: string, blank: boolean | null): boolean | null {
  const v = value.trim().toUpperCase();
  if (v === 'Y') return true;
  if (v === 'N') return false;
  if (v === '') return blank;
  throw new MappingError(field, `Y or N, got "${value.slice(0, 3)}"`);
}

export function mapName(value: string, field: VictimsCsvColumn = 'VICTIM_NAME'): PersonName {
  const { surname, forenames } = splitFullName(value, 'SURNAME_FIRST', field);
  return personName(forenames.map(displayName), displayName(surname));
}

export function mapAddress(row: Pick<VictimCsvRow, 'ADDR_1' | 'ADDR_2' | 'TOWN' | 'POSTCODE'>): Address {
  const postcode = text(row.POSTCODE)?.toUpperCase() ?? null;
  if (postcode && !/^[A-Z0-9 ]{2,8}$/.test(postcode)) throw new MappingError('POSTCODE', 'a postcode');
  return { lines: [row.ADDR_1, row.ADDR_2].map(text).filter((l): l is string => l !== null), town: text(row.TOWN), postcode };
}

/** The VCS decision and contact preferences of one detail record. */
export function mapContactScheme(rec: VcsDetailRecord): { contactScheme: VictimContactScheme; contactPreferences: ContactPreferences } {
  const optedIn = flag(rec.VCS_OPT_IN, 'VCS_OPT_IN', false) as boolean;
  const decisionDate = parseOptionalDate(rec.DECISION_DT, 'YYYYMMDD', 'DECISION_DT');
  const code = rec.CONTACT_MTHD.toUpperCase();
  if (code !== '' && !METHODS[code]) throw new MappingError('CONTACT_MTHD', `EML, TEL, LET or NON, got "${code}"`);
  const email = text(rec.EMAIL_ADDR)?.toLowerCase() ?? null;
  if (email && !EMAIL.test(email)) throw new MappingError('EMAIL_ADDR', 'an email address'); // never echo it
  const phone = text(rec.TEL_NO);
  if (phone && !PHONE.test(phone)) throw new MappingError('TEL_NO', 'a telephone number');
  return { contactScheme: { optedIn, decisionDate }, contactPreferences: { method: code ? METHODS[code] : null, email, phone } };
}

/**
 * One victim from its CSV row and VCS record(s); null for a record the system has closed (DELETED_IND Y),
 * which stays in the export but is no longer a victim to contact.
 */
export function mapVictim(wire: VictimWire): Victim | null {
  const row = csvRow(wire.header, wire.cells);
  if (flag(row.DELETED_IND, 'DELETED_IND', false)) return null;
  const id = text(row.VICTIM_ID);
  if (!id) throw new MappingError('VICTIM_ID', 'a victim id');
  const caseUrn = text(row.PTIURN);
  if (!caseUrn || !/^[A-Z0-9]{6,20}$/i.test(urnKey(caseUrn))) throw new MappingError('PTIURN', `a case URN, got "${(caseUrn ?? '').slice(0, 20)}"`);
  // Two VCS records for one victim disagree about the decision; neither can be trusted over the other.
  if (wire.vcsLines.length > 1) throw new MappingError('VCS record', `one record per victim, got ${wire.vcsLines.length}`);
  const vcs = wire.vcsLines.length ? mapContactScheme(vcsRecord(wire.vcsLines[0])) : null;
  return {
    id,
    caseUrn: urnKey(caseUrn),
    name: mapName(row.VICTIM_NAME),
    dateOfBirth: parseOptionalDate(row.DOB, 'DD/MM/YYYY', 'DOB'),
    address: mapAddress(row),
    contactScheme: vcs?.contactScheme ?? null,
    contactPreferences: vcs?.contactPreferences ?? null,
    liaisonOfficer: text(row.VLO_CODE)?.toUpperCase() ?? null,
    lastUpdated: row.LAST_UPD.trim() ? parseLegacyDate(row.LAST_UPD, 'DD/MM/YYYY', 'LAST_UPD') : null,
  };
}

// Pure normalisers shared by every adapter: identifiers with check characters, legacy dates parsed
// by explicit format (never by `new Date(text)`), and names reduced to comparable keys.
import { MappingError } from './errors.js';

const CHECK_LETTERS = 'ZABCDEFGHJKLMNPQRTUVWXY'; // 23 letters: I, O and S are never used

/** Check character of a PNC id, computed on the two-digit year and the 7-digit serial. */
export function pncCheckChar(year4: string, serial: string): string {
  return CHECK_LETTERS[Number(year4.slice(-2) + serial.padStart(7, '0')) % 23];
}

/** Check character of a CRO number, computed on the two-digit year and the 6-digit serial. */
export function croCheckChar(yy: string, serial: string): string {
  return CHECK_LETTERS[Number(yy + serial.padStart(6, '0')) % 23];
}

export type IdCheck = { value: string; valid: true } | { value: null; valid: false; reason: string };

/**
 * Normalises a PNC id to `YYYY/NNNNNNNC` and validates its check character.
 * Accepts the long form (2001/0012345X), the short form (01/12345X) and stray spaces or lower case.
 * A two-digit year is placed in the century that keeps it in the past of `today`.
 */
export function normalisePnc(raw: string | null | undefined, today = new Date()): IdCheck {
  if (raw == null || raw.trim() === '') return { value: null, valid: false, reason: 'missing' };
  const text = raw.replace(/\s+/g, '').toUpperCase();
  const m = /^(\d{2}|\d{4})\/(\d{1,7})([A-Z])$/.exec(text);
  if (!m) return { value: null, valid: false, reason: 'malformed' };
  let year = m[1];
  if (year.length === 2) {
    const yy = Number(year);
    const thisYY = today.getUTCFullYear() % 100;
    year = String(yy > thisYY ? 1900 + yy : 2000 + yy);
  }
  const serial = m[2].padStart(7, '0');
  if (pncCheckChar(year, serial) !== m[3]) return { value: null, valid: false, reason: 'check character does not match' };
  return { value: `${year}/${serial}${m[3]}`, valid: true };
}

/** Formats a valid PNC id from its parts (used by the synthetic population). */
export function formatPnc(year4: number, serial: number): string {
  const s = String(serial).padStart(7, '0');
  return `${year4}/${s}${pncCheckChar(String(year4), s)}`;
}

/** Normalises a CRO number to `NNNNNN/YYC` and validates its check character. SF-format numbers are accepted as written. */
export function normaliseCro(raw: string | null | undefined): IdCheck {
  if (raw == null || raw.trim() === '') return { value: null, valid: false, reason: 'missing' };
  const text = raw.replace(/\s+/g, '').toUpperCase();
  if (/^SF\d{2}\/\d{1,6}[A-Z]$/.test(text)) return { value: text, valid: true };
  const m = /^(\d{1,6})\/(\d{2})([A-Z])$/.exec(text);
  if (!m) return { value: null, valid: false, reason: 'malformed' };
  const serial = m[1].padStart(6, '0');
  if (croCheckChar(m[2], serial) !== m[3]) return { value: null, valid: false, reason: 'check character does not match' };
  return { value: `${serial}/${m[2]}${m[3]}`, valid: true };
}

export function formatCro(serial: number, yy: number): string {
  const s = String(serial).padStart(6, '0');
  const y = String(yy).padStart(2, '0');
  return `${s}/${y}${croCheckChar(y, s)}`;
}

export type DateFormat = 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'YYYYMMDD' | 'DD-MON-YYYY' | 'DD.MM.YYYY';
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * Parses a legacy date written in a declared format to ISO `YYYY-MM-DD`.
 * Throws MappingError on anything else, including impossible dates such as 31/02/1980.
 * A date-time (`2011-09-26T10:00:00`) is accepted for 'YYYY-MM-DD' and cut to its date.
 */
export function parseLegacyDate(text: string, format: DateFormat, field = 'date'): string {
  const t = text.trim();
  let y: number, mo: number, d: number;
  let m: RegExpExecArray | null;
  switch (format) {
    case 'YYYY-MM-DD':
      m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
      if (!m) throw new MappingError(field, `a date as YYYY-MM-DD, got "${t}"`);
      [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      break;
    case 'DD/MM/YYYY':
    case 'DD.MM.YYYY':
      m = (format === 'DD/MM/YYYY' ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/ : /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/).exec(t);
      if (!m) throw new MappingError(field, `a date as ${format}, got "${t}"`);
      [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
      break;
    case 'YYYYMMDD':
      m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
      if (!m) throw new MappingError(field, `a date as YYYYMMDD, got "${t}"`);
      [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      break;
    case 'DD-MON-YYYY':
      m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(t);
      if (!m || !MONTHS.includes(m[2].toUpperCase())) throw new MappingError(field, `a date as DD-MON-YYYY, got "${t}"`);
      [d, mo, y] = [Number(m[1]), MONTHS.indexOf(m[2].toUpperCase()) + 1, Number(m[3])];
      break;
  }
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) {
    throw new MappingError(field, `a real calendar date, got "${t}"`);
  }
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Like parseLegacyDate, but null/blank in gives null out. */
export function parseOptionalDate(text: string | null | undefined, format: DateFormat, field = 'date'): string | null {
  return text == null || String(text).trim() === '' ? null : parseLegacyDate(String(text), format, field);
}

/** Title-cases a name part as people write it: "o'BRIEN-SMITH" → "O'Brien-Smith", "MCDONALD" stays "Mcdonald". */
export function displayName(part: string): string {
  return part
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase()
    .replace(/(^|[\s'\-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** A comparison key for a name: upper case, accents and punctuation removed ("O'Brien-Smith" → "OBRIENSMITH"). */
export function nameKey(part: string | null | undefined): string {
  return (part ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z]/g, '');
}

/** Splits "SMITH, John Paul" or "John Paul SMITH" style full names into parts. Throws MappingError when empty. */
export function splitFullName(full: string, order: 'SURNAME_FIRST' | 'FORENAMES_FIRST', field = 'name'): { forenames: string[]; surname: string } {
  const t = full.trim().replace(/\s+/g, ' ');
  if (!t) throw new MappingError(field, 'a name, got an empty value');
  if (order === 'SURNAME_FIRST') {
    const [surname, rest = ''] = t.split(/\s*,\s*/, 2);
    return { surname, forenames: rest ? rest.split(' ') : [] };
  }
  const parts = t.split(' ');
  return { surname: parts[parts.length - 1], forenames: parts.slice(0, -1) };
}

/** Age in whole years on a date (both ISO). */
export function ageOn(dateOfBirth: string, onDate: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = onDate.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Informal forms of given names that staff key in instead of the given name (both directions are matched). */
export const FORENAME_VARIANTS: Record<string, string> = { William: 'Bill', Robert: 'Bob', Michael: 'Mick', Richard: 'Rick', Joseph: 'Joe', Thomas: 'Tom', Christopher: 'Chris', Daniel: 'Danny', Matthew: 'Matt', Anthony: 'Tony', Steven: 'Steve', Andrew: 'Andy', Nicholas: 'Nick', Jonathan: 'Jon', Stephen: 'Steve', Edward: 'Ted', Elizabeth: 'Liz', Margaret: 'Maggie', Patricia: 'Pat', Jennifer: 'Jenny', Rebecca: 'Becky', Susan: 'Sue', Jessica: 'Jess', Charlotte: 'Lottie', Mohammed: 'Mohamed', Kayleigh: 'Kayley' };

const variantKeys = new Map<string, Set<string>>();
for (const [given, informal] of Object.entries(FORENAME_VARIANTS)) {
  for (const [a, b] of [[given, informal], [informal, given]]) {
    const k = nameKey(a);
    (variantKeys.get(k) ?? variantKeys.set(k, new Set()).get(k)!).add(nameKey(b));
  }
}

/** True when two forenames are the same name or known variants of one another (William / Bill). */
export function forenamesMatch(a: string, b: string): boolean {
  const ka = nameKey(a);
  const kb = nameKey(b);
  return ka !== '' && (ka === kb || (variantKeys.get(ka)?.has(kb) ?? false));
}

// Pure normalisers shared by every adapter: identifiers with check characters, legacy dates parsed
// by explicit format (never by `new Date(text)`), and names reduced to comparable keys.
import { MappingError } from './errors.js';
import type { DataQualityProblem } from '../schema/model.js';

const CHECK_LETTERS = 'ZABCDEFGHJKLMNPQRTUVWXY'; // 23 letters: I, O and S are never used

/** The check letter of a digit string: its value modulo 23, as letter (PNC and CRO use the same table). */
function checkLetter(digits: string): string {
  return CHECK_LETTERS[Number(digits) % 23];
}

/** Check character of a PNC id, computed on the two-digit year and the 7-digit serial. */
export function pncCheckChar(year4: string, serial: string): string {
  return checkLetter(year4.slice(-2) + serial.padStart(7, '0'));
}

/** Check character of a standard CRO number, computed on the two-digit year and the 6-digit serial. */
export function croCheckChar(yy: string, serial: string): string {
  return checkLetter(yy + serial.padStart(6, '0'));
}

/** Check character of an SF-format CRO number: on the year and the serial exactly as written (no padding). */
export function sfCroCheckChar(yy: string, serial: string): string {
  return checkLetter(yy + serial);
}

export type IdCheck = { value: string; valid: true } | { value: null; valid: false; reason: string };

const refuse = (reason: string): IdCheck => ({ value: null, valid: false, reason });

/** The four-digit year of a two-digit PNC year: the century that keeps it in the past of `today`. */
function pncCentury(yy: string, today: Date): string {
  return String(Number(yy) > today.getUTCFullYear() % 100 ? 1900 + Number(yy) : 2000 + Number(yy));
}

/** One reading of a PNC id: year, serial and check letter; null when the check letter does not match. */
function pncReading(year4: string, serial: string, check: string): string | null {
  return pncCheckChar(year4, serial) === check ? `${year4}/${serial.padStart(7, '0')}${check}` : null;
}

/**
 * Normalises a PNC id to its canonical form `YYYY/NNNNNNNC` (four-digit year, serial padded to seven
 * digits), the form the HMPPS person record service keeps, and verifies its check character.
 * Accepts every form the agencies write: long or short year, serial padded or not, with or without the
 * slash (`2002/0073319Z`, `20020073319Z`, `02/73319Z`, `0273319Z`, `033Y`), stray spaces, lower case.
 * A two-digit year is placed in the century that keeps it in the past of `today`.
 * Without a slash, 10 or 11 digits are a long form and 8 or fewer a short one (as the person record
 * service reads them); 9 digits read both ways (`2002` + 5-digit serial, or `20` + 7-digit serial) and
 * the check character decides: a value valid both ways is refused as ambiguous rather than guessed.
 */
export function normalisePnc(raw: string | null | undefined, today = new Date()): IdCheck {
  if (raw == null || raw.trim() === '') return refuse('missing');
  const text = raw.replace(/\s+/g, '').toUpperCase();
  const slashed = /^(\d{2}|\d{4})\/(\d{1,7})([A-Z])$/.exec(text);
  if (slashed) {
    const [, year, serial, check] = slashed;
    const value = pncReading(year.length === 2 ? pncCentury(year, today) : year, serial, check);
    return value ? { value, valid: true } : refuse('check character does not match');
  }
  const bare = /^(\d{3,11})([A-Z])$/.exec(text);
  if (!bare) return refuse('malformed');
  const [, digits, check] = bare;
  const readings: string[] = [];
  if (digits.length <= 9) readings.push(pncCentury(digits.slice(0, 2), today) + '/' + digits.slice(2));
  if (digits.length >= 9 && /^(19|20)/.test(digits)) readings.push(digits.slice(0, 4) + '/' + digits.slice(4));
  const valid = [...new Set(readings.map((r) => pncReading(r.slice(0, 4), r.slice(5), check)).filter((v): v is string => v !== null))];
  if (valid.length === 1) return { value: valid[0], valid: true };
  return refuse(valid.length > 1 ? 'ambiguous without a slash' : 'check character does not match');
}

/** Formats a valid PNC id from its parts (used by the synthetic population). */
export function formatPnc(year4: number, serial: number): string {
  const s = String(serial).padStart(7, '0');
  return `${year4}/${s}${pncCheckChar(String(year4), s)}`;
}

/**
 * Every way a valid canonical PNC id may have been keyed into a system that compares text: long or
 * short year, serial padded or not, with or without the slash. Only forms that read back to this PNC
 * alone are listed (a slash-less form that reads two ways is not). Empty for a non-canonical value.
 */
export function pncWrittenForms(canonical: string, today = new Date()): string[] {
  const m = /^(\d{4})\/(\d{7})([A-Z])$/.exec(canonical);
  if (!m) return [];
  const [, year, serial, check] = m;
  const forms = new Set<string>();
  for (const y of [year, year.slice(2)]) {
    for (const s of [serial, String(Number(serial))]) {
      for (const sep of ['/', '']) forms.add(`${y}${sep}${s}${check}`);
    }
  }
  return [...forms].filter((f) => normalisePnc(f, today).value === canonical);
}

/**
 * Normalises a CRO number and verifies its check character, in both formats the CRO has issued:
 * standard `NNNNNN/YYC` (serial padded to six digits; the check is on year and padded serial) and
 * SF `SFYY/NNNNNNC` (kept as written: the check is on year and serial as written, so a leading zero
 * would make it another number). As the person record service reads them.
 */
export function normaliseCro(raw: string | null | undefined): IdCheck {
  if (raw == null || raw.trim() === '') return refuse('missing');
  const text = raw.replace(/\s+/g, '').toUpperCase();
  const sf = /^SF(\d{2})\/(\d{1,6})([A-Z])$/.exec(text);
  if (sf) {
    const [, yy, serial, check] = sf;
    return sfCroCheckChar(yy, serial) === check ? { value: text, valid: true } : refuse('check character does not match');
  }
  const m = /^(\d{1,6})\/(\d{2})([A-Z])$/.exec(text);
  if (!m) return refuse('malformed');
  const serial = m[1].padStart(6, '0');
  if (croCheckChar(m[2], serial) !== m[3]) return refuse('check character does not match');
  return { value: `${serial}/${m[2]}${m[3]}`, valid: true };
}

export function formatCro(serial: number, yy: number): string {
  const s = String(serial).padStart(6, '0');
  const y = String(yy).padStart(2, '0');
  return `${s}/${y}${croCheckChar(y, s)}`;
}

/**
 * An ASN in its canonical 20-character form (`1101ZD0100000448754K`): year (2), force and station (4),
 * system (2), sequence (11 digits), check character. The slashed form agencies also write
 * (`11/01ZD/01/448754K`) is expanded; anything else is kept upper-cased, without spaces.
 */
export function normaliseAsn(raw: string): string {
  const t = raw.trim().toUpperCase().replace(/\s+/g, '');
  const m = /^(\d{2})\/?(\d{2}[A-Z0-9]{2})\/?(\d{2})\/(\d{1,11})([A-Z])$/.exec(t);
  return m ? `${m[1]}${m[2]}${m[3]}${m[4].padStart(11, '0')}${m[5]}` : t.replace(/\//g, '');
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

/**
 * A date of birth as an agency recorded it. An impossible or partial date (`19960094`, `31/02/1980`)
 * does not cost the record: the date is null and the problem is returned with the value as recorded, so
 * the person can still be found and matched on what the record does hold.
 */
export function readDateOfBirth(recorded: unknown, format: DateFormat, field = 'dateOfBirth'): { value: string | null; problem: DataQualityProblem | null } {
  if (recorded == null || String(recorded).trim() === '') return { value: null, problem: null };
  const raw = String(recorded).trim();
  try {
    return { value: parseLegacyDate(raw, format, field), problem: null };
  } catch (err) {
    if (!(err instanceof MappingError)) throw err;
    return { value: null, problem: { field: 'dateOfBirth', recorded: raw.slice(0, 40), problem: `expected ${format}, got an impossible or partial date` } };
  }
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

/** American Soundex of a name's key, as PostgreSQL's fuzzystrmatch computes it ("Smith" → S530); '' for no letters. */
export function soundex(name: string | null | undefined): string {
  const k = nameKey(name);
  if (!k) return '';
  const code = (c: string): string => ('BFPV'.includes(c) ? '1' : 'CGJKQSXZ'.includes(c) ? '2' : 'DT'.includes(c) ? '3' : c === 'L' ? '4' : 'MN'.includes(c) ? '5' : c === 'R' ? '6' : '');
  let out = k[0];
  let last = code(k[0]);
  for (let i = 1; i < k.length && out.length < 4; i++) {
    const d = code(k[i]);
    if (d && d !== last) out += d;
    // H and W do not separate letters of the same code; vowels do.
    if (k[i] !== 'H' && k[i] !== 'W') last = d;
  }
  return out.padEnd(4, '0');
}

/** True when a and b differ by at most one insertion, deletion, substitution or adjacent transposition. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Surnames a tolerant search treats as alike: the same key, the same Soundex code, or one edit apart. */
export function surnamesAlike(a: string | null | undefined, b: string | null | undefined): boolean {
  const ka = nameKey(a), kb = nameKey(b);
  return ka !== '' && kb !== '' && (ka === kb || soundex(ka) === soundex(kb) || withinOneEdit(ka, kb));
}

/**
 * Whether a record meets a search, as the adapters confirm what their systems return. Exact: the same
 * surname key and, when given, the same date of birth. Tolerant: a surname alike (see surnamesAlike), or
 * the same date of birth with a forename that sounds the same; a swapped search's "surname" is the
 * person's forename, so it is also compared with the record's forenames.
 */
export function meetsSearch(r: { name: { surname: string; forenames: string[] }; dateOfBirth: string | null }, c: { surname: string; forename?: string | null; dateOfBirth?: string | null; tolerant?: boolean | null }): boolean {
  if (!c.tolerant) return nameKey(r.name.surname) === nameKey(c.surname) && (!c.dateOfBirth || r.dateOfBirth === c.dateOfBirth);
  if (surnamesAlike(r.name.surname, c.surname)) return true;
  const f = r.name.forenames[0];
  return !!(c.dateOfBirth && c.forename && f && r.dateOfBirth === c.dateOfBirth && soundex(f) === soundex(c.forename));
}

/** True when two forenames are the same name or known variants of one another (William / Bill). */
export function forenamesMatch(a: string, b: string): boolean {
  const ka = nameKey(a);
  const kb = nameKey(b);
  return ka !== '' && (ka === kb || (variantKeys.get(ka)?.has(kb) ?? false));
}

/** An identifier as recorded with its check: the canonical value, and why it is not valid (null when valid or not recorded). */
export function checkedFrom(raw: string | null, check: IdCheck): { raw: string | null; value: string | null; valid: boolean; reason: string | null } {
  return { raw, value: check.value, valid: check.valid, reason: check.valid || raw === null ? null : check.reason };
}

/** An identifier as recorded in a raw legacy value, checked: only a valid one is trusted as a key. */
export function checkedIdentifier(type: 'PNC' | 'CRO', raw: unknown): { raw: string | null; value: string | null; valid: boolean; reason: string | null } {
  const r = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null;
  return checkedFrom(r, type === 'PNC' ? normalisePnc(r) : normaliseCro(r));
}

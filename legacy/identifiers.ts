// The stand-ins' own knowledge of PNC and CRO numbers, kept apart from the adapters on purpose: a fake
// that checked identifiers with the adapter's code could never catch the adapter's mistake. Written from
// the published rules (check letter = the number modulo 23 over a letter table without I, O and S) and
// from how the real services index PNCs, not from the adapter.

const LETTERS = ['Z', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'T', 'U', 'V', 'W', 'X', 'Y'];

/** Remainder of a long digit string by 23, digit by digit (no reliance on number precision). */
function mod23(digits: string): number {
  let r = 0;
  for (const ch of digits) r = (r * 10 + (ch.charCodeAt(0) - 48)) % 23;
  return r;
}

const twoDigits = (n: number) => String(n % 100).padStart(2, '0');

/** A PNC id as the Police National Computer issues it: `YYYY/NNNNNNNC`. */
export function issuePnc(year: number, serial: number): string {
  const s = String(serial).padStart(7, '0');
  return `${year}/${s}${LETTERS[mod23(twoDigits(year) + s)]}`;
}

/** A standard-format CRO number as issued: `NNNNNN/YYC`. */
export function issueCro(serial: number, year: number): string {
  const s = String(serial).padStart(6, '0');
  return `${s}/${twoDigits(year)}${LETTERS[mod23(twoDigits(year) + s)]}`;
}

/** An SF-format CRO number as issued: `SFYY/NC`, the check letter on the serial as written. */
export function issueSfCro(serial: number, year: number): string {
  return `SF${twoDigits(year)}/${serial}${LETTERS[mod23(twoDigits(year) + String(serial))]}`;
}

/**
 * The two canonical forms Prisoner Search indexes a PNC under (`pncNumberCanonicalShort` `12/394773H`,
 * `pncNumberCanonicalLong` `2012/394773H`): the serial without leading zeros, a two-digit year put in
 * 1939-2038 as that service does. Like it, no check letter test; null for anything not `YY[YY]/N…C`.
 */
export function prisonerSearchPncForms(raw: string | null | undefined): { short: string; long: string } | null {
  const parts = raw ? /^(\d{2}|\d{4})\/(\d+)([A-Za-z])$/.exec(raw.trim()) : null;
  if (!parts) return null;
  const [, year, serial, check] = parts;
  const bare = serial.replace(/^0+(?=\d)/, '');
  const c = check.toUpperCase();
  const long = year.length === 4 ? year : `${Number(year) >= 39 ? '19' : '20'}${year}`;
  return { short: `${long.slice(2)}/${bare}${c}`, long: `${long}/${bare}${c}` };
}

/**
 * A comparison key for a PNC as the HMPPS search services compare them: a `YY[YY]/N…C` value has its
 * serial's leading zeros dropped and its year placed as Prisoner Search places it; anything else, a
 * slash-less form included, is compared as the literal text (those services do not read it as a PNC).
 */
export function pncSearchKey(raw: string | null | undefined): string {
  const text = raw?.replace(/\s+/g, '').toUpperCase() ?? '';
  return prisonerSearchPncForms(text)?.long ?? text;
}

/** A comparison key for a CRO number: a standard number without leading zeros; anything else as written. */
export function croSearchKey(raw: string | null | undefined): string {
  const text = raw?.replace(/\s+/g, '').toUpperCase() ?? '';
  const m = /^(\d+)\/(\d{2}[A-Z])$/.exec(text);
  return m ? `${Number(m[1])}/${m[2]}` : text;
}

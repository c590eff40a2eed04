import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MappingError } from '../../adapters/errors.js';
import {
  displayName, formatCro, formatPnc, forenamesMatch, nameKey, normaliseCro, normalisePnc, parseLegacyDate, pncWrittenForms, splitFullName,
} from '../../adapters/normalise.js';

/** Identifier test vectors published with the HMPPS person record service (see test/fixtures/identifiers/README.md). */
const vectors = (file: string) => readFileSync(new URL(`../fixtures/identifiers/${file}`, import.meta.url), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

const today = new Date('2026-11-21T00:00:00Z');

describe('PNC normalisation', () => {
  const valid = formatPnc(2001, 12345);
  it.each([
    [valid, valid],
    [valid.toLowerCase(), valid],
    [` ${valid.slice(0, 5)} ${valid.slice(5)} `, valid],
    [`01/12345${valid.slice(-1)}`, valid],
  ])('reads %j as %j', (raw, expected) => {
    expect(normalisePnc(raw, today)).toEqual({ value: expected, valid: true });
  });

  it('puts a two-digit year in the past, not the future', () => {
    const p = formatPnc(1998, 4321);
    expect(normalisePnc(`98/4321${p.slice(-1)}`, today).value).toBe(p);
  });

  it('does not trust a PNC whose check character is wrong', () => {
    const wrong = valid.slice(0, -1) + (valid.endsWith('A') ? 'B' : 'A');
    expect(normalisePnc(wrong, today)).toEqual({ value: null, valid: false, reason: 'check character does not match' });
  });

  it.each([['', 'missing'], [null, 'missing'], ['2001-0012345X', 'malformed'], ['2001/12345', 'malformed']])('refuses %j as %s', (raw, reason) => {
    expect(normalisePnc(raw, today)).toMatchObject({ valid: false, reason });
  });
});

describe('PNC in every form the agencies write it', () => {
  // Forms and canonical values from the person record service's own tests, plus the serial unpadded
  // with a long year (Prisoner Search's pncNumberCanonicalLong) and stray spaces.
  it.each([
    ['long, with slash', '2002/0073319Z', '2002/0073319Z'],
    ['long, without slash', '20020073319Z', '2002/0073319Z'],
    ['long, without slash, last century', '19790163001B', '1979/0163001B'],
    ['long year, serial without leading zeros', '2012/394773H', '2012/0394773H'],
    ['long year, serial without leading zeros, no slash', '1979163001B', '1979/0163001B'],
    ['short, with slash', '02/73319Z', '2002/0073319Z'],
    ['short, without slash', '0273319Z', '2002/0073319Z'],
    ['short, last century', '79/163001B', '1979/0163001B'],
    ['short, last century, without slash', '79163001B', '1979/0163001B'],
    ['short, two-digit serial', '81/34U', '1981/0000034U'],
    ['short, year 2000', '00/223R', '2000/0000223R'],
    ['shortest, without slash', '033Y', '2003/0000003Y'],
    ['short, serial padded, without slash', '020073319Z', '2002/0073319Z'],
    ['lower case and spaces', ' 2002/ 0073319z ', '2002/0073319Z'],
  ])('reads the %s form %j as %j', (_form, raw, canonical) => {
    expect(normalisePnc(raw, today)).toEqual({ value: canonical, valid: true });
  });

  it.each([
    ['19790163001B', '79/163001B'],
    ['02/73319Z', '20020073319Z'],
    ['1979/0163001B', '79163001B'],
  ])('treats %j and %j as the same PNC', (a, b) => {
    expect(normalisePnc(a, today).value).toBe(normalisePnc(b, today).value);
  });

  it('tells 1979 and 1980 apart', () => {
    expect(normalisePnc('1979/0163001B', today).value).not.toBe(normalisePnc('1980/0163001B', today).value);
  });

  it.each([
    ['20030011985Z', 'check character does not match'],
    ['2001/0171310S', 'check character does not match'],
    ['02/73319A', 'check character does not match'],
    ['0273319A', 'check character does not match'],
    ['01', 'malformed'],
    ['0123456789', 'malformed'],
    ['01234567890123', 'malformed'],
    ['TOTALLYINVALID', 'malformed'],
    ['1X23/1234567A', 'malformed'],
    ['1923[1234567A', 'malformed'],
    ['1923/1Z34567A', 'malformed'],
    ['1923/1234567AA', 'malformed'],
    ['123/1234567A', 'malformed'],
    ['2001/12345678A', 'malformed'],
  ])('refuses %j: %s', (raw, reason) => {
    expect(normalisePnc(raw, today)).toEqual({ value: null, valid: false, reason });
  });

  it('refuses a slash-less nine-digit form that reads as two valid PNCs rather than guess', () => {
    // 199473319Z is 1994/73319Z, and also 19/9473319Z: both check characters hold.
    expect(normalisePnc('1994/73319Z', today)).toEqual({ value: '1994/0073319Z', valid: true });
    expect(normalisePnc('19/9473319Z', today)).toEqual({ value: '2019/9473319Z', valid: true });
    expect(normalisePnc('199473319Z', today)).toEqual({ value: null, valid: false, reason: 'ambiguous without a slash' });
    // Where only one reading holds, it is the one taken.
    expect(normalisePnc('200273319Z', today)).toEqual({ value: '2002/0073319Z', valid: true });
  });

  it('accepts every valid PNC the person record service publishes as a test vector', () => {
    const pncs = vectors('person-record-valid-pncs.csv');
    expect(pncs.length).toBeGreaterThan(600);
    const refused = pncs.filter((p) => normalisePnc(p, today).value !== p);
    expect(refused).toEqual([]);
    // ...and the same PNCs written without their slash, and in short form.
    expect(pncs.filter((p) => normalisePnc(p.replace('/', ''), today).value !== p)).toEqual([]);
    const short = (p: string) => `${p.slice(2, 4)}/${Number(p.slice(5, 12))}${p.slice(12)}`;
    expect(pncs.filter((p) => Number(p.slice(0, 4)) > 1926 && normalisePnc(short(p), today).value !== p)).toEqual([]);
  });

  it('lists every keyed form of a PNC that reads back to it and no other', () => {
    const forms = pncWrittenForms('2002/0073319Z', today);
    expect(forms.sort()).toEqual(['02/0073319Z', '02/73319Z', '020073319Z', '0273319Z', '2002/0073319Z', '2002/73319Z', '20020073319Z', '200273319Z']);
    for (const f of forms) expect(normalisePnc(f, today).value).toBe('2002/0073319Z');
    expect(pncWrittenForms('02/73319Z', today)).toEqual([]); // only canonical values are expanded
  });
});

describe('CRO normalisation', () => {
  it('accepts a CRO with a valid check character and pads the serial', () => {
    const c = formatCro(1234, 5);
    expect(normaliseCro(c)).toEqual({ value: c, valid: true });
    expect(normaliseCro(`1234/05${c.slice(-1)}`)).toEqual({ value: c, valid: true });
  });
  it('refuses a CRO whose check character is wrong', () => {
    const c = formatCro(1234, 5);
    expect(normaliseCro(c.slice(0, -1) + (c.endsWith('A') ? 'B' : 'A')).valid).toBe(false);
  });

  it.each([
    ['standard', '265416/21G', '265416/21G'],
    ['standard, serial without leading zeros', '65656/91H', '065656/91H'],
    ['standard, lower case and spaces', ' 65656 / 91h ', '065656/91H'],
    ['SF', 'SF05/482703J', 'SF05/482703J'],
    ['SF, short serial kept as written', 'SF83/50058Z', 'SF83/50058Z'],
    ['SF, lower case', 'sf12/8n', 'SF12/8N'],
  ])('reads the %s form %j as %j', (_form, raw, canonical) => {
    expect(normaliseCro(raw)).toEqual({ value: canonical, valid: true });
  });

  it.each([
    ['SF12/8J', 'check character does not match'],
    ['SF83/050058Z', 'check character does not match'], // a leading zero makes it another number
    ['85227/65G', 'check character does not match'],
    ['SF1/8N', 'malformed'],
    ['SF12/1234567A', 'malformed'],
    ['45183/712', 'malformed'],
    ['1234567/08A', 'malformed'],
    ['12345608A', 'malformed'],
    ['', 'missing'],
  ])('refuses %j: %s', (raw, reason) => {
    expect(normaliseCro(raw)).toEqual({ value: null, valid: false, reason });
  });

  it('accepts every valid CRO number, standard and SF, the person record service publishes as a test vector', () => {
    const cros = vectors('person-record-valid-cros.csv');
    expect(cros.filter((c) => c.startsWith('SF')).length).toBeGreaterThan(10);
    expect(cros.filter((c) => !normaliseCro(c).valid)).toEqual([]);
  });

  it('refuses each published CRO with any other check character', () => {
    for (const c of vectors('person-record-valid-cros.csv')) {
      const wrong = c.slice(0, -1) + (c.endsWith('A') ? 'B' : 'A');
      expect(normaliseCro(wrong).valid, wrong).toBe(false);
    }
  });
});

describe('legacy dates', () => {
  it.each([
    ['01/02/1980', 'DD/MM/YYYY', '1980-02-01'],
    ['1/2/1980', 'DD/MM/YYYY', '1980-02-01'],
    ['19800201', 'YYYYMMDD', '1980-02-01'],
    ['01-FEB-1980', 'DD-MON-YYYY', '1980-02-01'],
    ['1980-02-01', 'YYYY-MM-DD', '1980-02-01'],
    ['1980-02-01T10:00:00Z', 'YYYY-MM-DD', '1980-02-01'],
  ] as const)('reads %s (%s) as %s — day before month, never the US order', (text, format, iso) => {
    expect(parseLegacyDate(text, format)).toBe(iso);
  });

  it.each([['31/02/1980', 'DD/MM/YYYY'], ['1980-13-01', 'YYYY-MM-DD'], ['02/01/80', 'DD/MM/YYYY'], ['01-FOO-1980', 'DD-MON-YYYY']] as const)(
    'refuses %s as %s with a MappingError', (text, format) => {
      expect(() => parseLegacyDate(text, format, 'dob')).toThrow(MappingError);
    },
  );
});

describe('names', () => {
  it('tidies case for display without changing the name', () => {
    expect(displayName("o'BRIEN-smith")).toBe("O'Brien-Smith");
  });
  it('compares names without case, accents or punctuation', () => {
    expect(nameKey("O'Brien")).toBe(nameKey('OBRIEN'));
    expect(nameKey('Zoë')).toBe('ZOE');
  });
  it('treats known variants of a forename as the same name', () => {
    expect(forenamesMatch('William', 'BILL')).toBe(true);
    expect(forenamesMatch('Bill', 'William')).toBe(true);
    expect(forenamesMatch('William', 'Walter')).toBe(false);
  });
  it('splits surname-first names', () => {
    expect(splitFullName('SMITH, John Paul', 'SURNAME_FIRST')).toEqual({ surname: 'SMITH', forenames: ['John', 'Paul'] });
  });
});

describe('identifier properties', () => {
  const pncParts = fc.record({ year: fc.integer({ min: 1939, max: 2026 }), serial: fc.integer({ min: 1, max: 9_999_999 }) });

  it('reads every keyed form of any valid PNC back to that PNC', () => {
    fc.assert(fc.property(pncParts, ({ year, serial }) => {
      const canonical = formatPnc(year, serial);
      const forms = pncWrittenForms(canonical, today);
      expect(forms).toContain(canonical);
      expect(forms).toContain(canonical.replace('/', '')); // eleven digits are never ambiguous
      for (const f of forms) expect(normalisePnc(f, today).value).toBe(canonical);
    }));
  });

  it('never trusts a PNC with one serial digit mistyped', () => {
    fc.assert(fc.property(pncParts, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 9 }), ({ year, serial }, at, delta) => {
      const canonical = formatPnc(year, serial);
      const digits = canonical.slice(5, 12).split('');
      digits[at] = String((Number(digits[at]) + delta) % 10);
      const typo = `${canonical.slice(0, 5)}${digits.join('')}${canonical.slice(-1)}`;
      // A single changed digit moves the value by d·10^k, never a multiple of 23: the check letter always catches it.
      expect(normalisePnc(typo, today).valid).toBe(false);
    }));
  });

  it('never trusts a CRO number, standard or SF, with one serial digit mistyped', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), (serial, yy, delta, sf) => {
      const y = String(yy).padStart(2, '0');
      const cro = sf ? `SF${y}/${serial}${'ZABCDEFGHJKLMNPQRTUVWXY'[Number(y + serial) % 23]}` : formatCro(serial, yy);
      expect(normaliseCro(cro)).toEqual({ value: cro, valid: true });
      const at = cro.indexOf('/') - (sf ? -1 : 1); // a digit of the serial
      const typo = cro.slice(0, at) + String((Number(cro[at]) + delta) % 10) + cro.slice(at + 1);
      expect(normaliseCro(typo).valid).toBe(false);
    }));
  });
});

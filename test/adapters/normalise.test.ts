import { describe, expect, it } from 'vitest';
import { MappingError } from '../../adapters/errors.js';
import { displayName, formatCro, formatPnc, forenamesMatch, nameKey, normaliseCro, normalisePnc, parseLegacyDate, splitFullName } from '../../adapters/normalise.js';

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

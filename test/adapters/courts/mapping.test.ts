import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MappingError } from '../../../adapters/errors.js';
import {
  mapAddress, mapBailStatus, mapCase, mapDefendant, mapFinding, mapGender, mapOffenceCode, mapPlea, mapResult, mapTime,
  matchesSearch, pncSearchForms, toIdentityRecord,
} from '../../../adapters/courts/mapping.js';
import { REPEATING, type WireCase, type WireDefendant, type WireHearing } from '../../../adapters/courts/wire.js';
import { createSoapParser } from '../../../adapters/soap.js';

const parser = createSoapParser(REPEATING);

/** The DC:Case of a real Libra result message, with its session's hearing, as the case service returns it. */
function libraCase(file: string): { wire: WireCase; defendant: WireDefendant } {
  const doc = parser.parse(readFileSync(new URL(`../../fixtures/courts/${file}`, import.meta.url), 'utf8'));
  const session = doc.DeliverRequest.Message.ResultedCaseMessage.Session;
  const kase = session.Case[0] as WireCase; // Case repeats in service answers, so the parser always gives an array
  const def = kase.Defendant![0];
  return {
    wire: { ...kase, Hearing: session.CourtHearing.Hearing as WireHearing[], Defendant: [{ ...def, DefendantId: '7000123' }] },
    defendant: { ...(def as WireDefendant), DefendantId: '7000123' },
  };
}

describe('courts mapping: code cross-walks', () => {
  it.each([
    ['1', 'GUILTY', 'G', 'Guilty'],
    ['6', 'GUILTY', 'G', 'Guilty'],
    ['2', 'NOT_GUILTY', 'NG', 'Not Guilty'],
    ['3', 'NO_PLEA', 'NONE', 'No Plea'],
    ['7', 'ADMITS', 'ADM', 'Admits'],
    ['8', 'DENIES', 'DEN', 'Denies'],
  ])('maps SPI plea %s to %s', (spi, code, cjsCode, description) => {
    expect(mapPlea(spi)).toEqual({ code, spiCode: spi, cjsCode, description });
  });

  it('has no plea when none was taken, and rejects an unknown plea code', () => {
    expect(mapPlea('')).toBeNull();
    expect(mapPlea(undefined)).toBeNull();
    expect(() => mapPlea('X')).toThrow(MappingError);
  });

  it.each([
    ['G', '2011-09-26', { code: 'GUILTY', spiCode: 'G', description: 'Guilty', convictionDate: '2011-09-26' }],
    ['N', '', { code: 'NOT_GUILTY', spiCode: 'N', description: 'Not Guilty', convictionDate: null }],
    ['A', '2011-09-26', { code: 'GUILTY_OF_ALTERNATIVE_OFFENCE', spiCode: 'A', description: 'Guilty of Alternative Offence', convictionDate: '2011-09-26' }],
  ])('maps SPI finding %s', (spi, date, expected) => {
    expect(mapFinding(spi, date)).toEqual(expected);
  });

  it('rejects an impossible conviction date', () => {
    expect(() => mapFinding('G', '2011-02-30')).toThrow(/real calendar date/);
  });

  it.each([
    ['U', 'UNCONDITIONAL_BAIL', 'Unconditional Bail'],
    ['B', 'CONDITIONAL_BAIL', 'Conditional Bail'],
    ['C', 'CUSTODY', 'Custody'],
    ['P', 'CUSTODY', 'Custody'],
    ['L', 'CARE', 'Care'],
  ])('maps SPI remand status %s to %s', (spi, code, description) => {
    expect(mapBailStatus(spi)).toEqual({ code, spiCode: spi, description });
  });

  it.each([['1', 'MALE'], ['2', 'FEMALE'], ['0', 'NOT_KNOWN'], ['9', 'NOT_SPECIFIED'], ['', null]])('maps CJS gender %s to %s', (code, sex) => {
    expect(mapGender(code)).toBe(sex);
  });

  it.each([
    ['SX03001A', 'SX03001', 'Rape a girl aged 13 / 14 / 15 - SOA 2003', { code: 'A', description: 'Attempt' }],
    ['SX03001', 'SX03001', 'Rape a girl aged 13 / 14 / 15 - SOA 2003', null],
    ['th68010', 'TH68010', 'Theft from a shop', null],
    ['XX99999', 'XX99999', null, null],
  ])('maps Libra offence code %s to base %s keeping the qualifier', (code, base, title, qualifier) => {
    const { offence, qualifier: q } = mapOffenceCode(code);
    expect(offence.code).toBe(base);
    expect(offence.title).toBe(title);
    expect(q).toEqual(qualifier);
  });

  it('describes a result from the CJS result list and keeps the court wording and qualifiers', () => {
    expect(mapResult({ ResultCode: '1002', ResultText: 'Imprisonment 6 months', ResultCodeQualifier: ['B'] }))
      .toEqual({ code: '1002', description: 'Imprisonment', text: 'Imprisonment 6 months', resultType: 'F', qualifiers: ['B'] });
    expect(mapResult({ ResultCode: '0001', ResultText: 'Uncoded' }).description).toBeNull();
    expect(() => mapResult({ ResultCode: '10' })).toThrow(MappingError);
  });

  it.each([['10:00:00', '10:00'], ['13:30', '13:30'], ['', null]])('reads hearing time %s as %s', (raw, time) => {
    expect(mapTime(raw)).toBe(time);
  });

  it('rejects a time that is not a clock time', () => {
    expect(() => mapTime('25:00:00')).toThrow(MappingError);
  });
});

describe('courts mapping: addresses', () => {
  it.each([
    [{ AddressLine1: '12 High Street', AddressLine2: 'Sheffield', AddressLine3: 's1 2ab' }, { lines: ['12 High Street'], town: 'Sheffield', postcode: 'S1 2AB' }],
    [{ AddressLine1: 'Flat 2', AddressLine2: '12 High Street', AddressLine3: 'Leeds', AddressLine4: 'LS2 7XY' }, { lines: ['Flat 2', '12 High Street'], town: 'Leeds', postcode: 'LS2 7XY' }],
    [{ AddressLine1: 'Scenario1 Address Line 1', AddressLine2: 'Scenario1 Address Line 2' }, { lines: ['Scenario1 Address Line 1', 'Scenario1 Address Line 2'], town: null, postcode: null }],
    [{ AddressLine1: '' }, null],
  ])('splits Libra address lines %#', (wire, expected) => {
    expect(mapAddress(wire)).toEqual(expected);
  });
});

describe('courts mapping: records', () => {
  const defendant = (over: Partial<{ pnc: string; birthdate: string; family: string }> = {}): WireDefendant => ({
    DefendantId: '7000042',
    PNCIdentifier: over.pnc,
    CourtIndividualDefendant: {
      PersonDefendant: { BasePersonDetails: { PersonName: { PersonTitle: 'Ms', PersonGivenName1: 'siobhan', PersonGivenName2: 'Amy', PersonFamilyName: over.family ?? "O'BRIEN-SMITH" }, Birthdate: over.birthdate ?? '1985-04-03', Gender: '2' } },
      Address: { SimpleAddress: { AddressLine1: '4 Mill Lane', AddressLine2: 'Bristol', AddressLine3: 'BS1 4QT' } },
    },
  });

  it('maps a defendant with a PNC keyed in short form to the long form, keeping what was keyed', () => {
    const d = mapDefendant(defendant({ pnc: '18/100006A' }));
    expect(d).toEqual({
      defendantId: '7000042',
      name: { title: 'Ms', forenames: ['Siobhan', 'Amy'], surname: "O'Brien-Smith", fullName: "Siobhan Amy O'Brien-Smith" },
      dateOfBirth: '1985-04-03', sex: 'FEMALE',
      pnc: { raw: '18/100006A', value: '2018/0100006A', valid: true },
      address: { lines: ['4 Mill Lane'], town: 'Bristol', postcode: 'BS1 4QT' },
    });
  });

  it('keeps a PNC with a wrong check character only as recorded', () => {
    expect(mapDefendant(defendant({ pnc: '2018/0100006B' })).pnc).toEqual({ raw: '2018/0100006B', value: null, valid: false });
  });

  it('refuses a defendant with an impossible date of birth or no family name', () => {
    expect(() => mapDefendant(defendant({ birthdate: '1985-02-30' }))).toThrow(/Birthdate/);
    expect(() => mapDefendant(defendant({ family: '' }))).toThrow(/PersonFamilyName/);
  });

  it('makes an identity record for linking from a defendant', () => {
    const r = toIdentityRecord(mapDefendant(defendant({ pnc: '18/100006A' })));
    expect(r).toMatchObject({ agency: 'courts', localId: '7000042', localIdType: 'COURT_DEFENDANT_ID', dateOfBirth: '1985-04-03', sex: 'FEMALE', pnc: { value: '2018/0100006A', valid: true }, cro: { valid: false } });
    expect(matchesSearch(mapDefendant(defendant()), 'obrien smith', '1985-04-03')).toBe(true);
    expect(matchesSearch(mapDefendant(defendant()), "O'Brien-Smith", '1985-03-04')).toBe(false);
  });

  it('searches for a PNC in both the long and the short form the court may hold', () => {
    expect(pncSearchForms('2018/0100006A')).toEqual(['2018/0100006A', '18/100006A']);
    expect(pncSearchForms('18/100006A')).toEqual(['2018/0100006A', '18/100006A']);
    expect(pncSearchForms('not a pnc')).toEqual(['NOT A PNC']);
  });

  it('maps the defendant of a real Libra result message', () => {
    const d = mapDefendant(libraCase('resulted-case-input-message-001.xml').defendant);
    expect(d.name).toEqual({ title: 'Mr', forenames: ['Trprfour'], surname: 'Sexoffence', fullName: 'Trprfour Sexoffence' });
    expect(d.dateOfBirth).toBe('1948-11-11');
    expect(d.sex).toBe('MALE');
    expect(d.pnc).toEqual({ raw: null, value: null, valid: false });
    expect(d.address?.lines).toHaveLength(3);
  });

  it('maps the case of a real Libra result message, offence sequence 001 included', () => {
    const c = mapCase(libraCase('resulted-case-input-message-001.xml').wire);
    expect(c).toMatchObject({
      urn: '01ZD0303208', asn: '1101ZD0100000448754K', defendantId: '7000123',
      court: { code: 'B01EF01' },
      bailStatus: { code: 'UNCONDITIONAL_BAIL', spiCode: 'U' }, remandedInCustody: false, custodyTimeLimitExpiry: null,
      hearings: [{ date: '2011-09-26', time: '10:00', court: { code: 'B01EF01' }, type: 'OTHER', typeCode: null }],
    });
    expect(c.charges.map((ch) => [ch.sequence, ch.offence.code, ch.offenceQualifier?.code ?? null])).toEqual([[1, 'SX03001', 'A'], [2, 'SX03001', null], [3, 'RT88191', null]]);
    expect(c.charges[0]).toMatchObject({
      wording: 'Attempt to rape a girl aged 13 / 14 / 15 / years of age - SOA 2003.',
      offenceDate: '2010-11-28', arrestDate: '2010-12-01', chargeDate: '2010-12-02',
      plea: { code: 'NOT_GUILTY', spiCode: '2' },
      finding: { code: 'GUILTY', convictionDate: '2011-09-26' },
      outcomes: [{ code: '3078', description: 'Travel Restriction Order', text: 'Travel Restriction Order' }],
    });
  });

  it('maps the many results and qualifiers of the variations message', () => {
    const c = mapCase(libraCase('resulted-case-input-message-001-variations.xml').wire);
    const outcomes = c.charges[0].outcomes;
    expect(outcomes.length).toBeGreaterThan(10);
    expect(outcomes.find((o) => o.code === '3068')?.qualifiers).toEqual(['BA', 'AW', 'RA']);
    expect(outcomes.find((o) => o.code === '9999')?.description).toBe('Non Standard BRC Disposal');
  });

  it('refuses a case whose hearing date is impossible', () => {
    const { wire } = libraCase('resulted-case-input-message-001.xml');
    expect(() => mapCase({ ...wire, Hearing: [{ ...wire.Hearing![0], DateOfHearing: '2011-02-30' }] })).toThrow(/DateOfHearing/);
  });

  it('marks a defendant remanded in custody and reads the custody time limit', () => {
    const { wire } = libraCase('resulted-case-input-message-001.xml');
    const def = wire.Defendant![0];
    const c = mapCase({ ...wire, Defendant: [{ ...def, CourtIndividualDefendant: { BailStatus: 'C', CustodyTimeLimit: '2011-12-01' } }] });
    expect(c).toMatchObject({ bailStatus: { code: 'CUSTODY' }, remandedInCustody: true, custodyTimeLimitExpiry: '2011-12-01' });
  });
});

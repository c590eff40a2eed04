import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AdapterError, MappingError } from '../../../adapters/errors.js';
import { parseDeliverRequest } from '../../../adapters/courts/client.js';
import {
  mapAddress, mapBailStatus, mapCase, mapFinding, mapGender, mapMessages, mapOffenceCode, mapPlea, mapResult, mapTime,
  matchesSearch, partsOf, toIdentityRecord, type CourtCase, type Outcome,
} from '../../../adapters/courts/mapping.js';
import { normaliseAsn } from '../../../adapters/normalise.js';
import type { WireDeliverRequest } from '../../../adapters/courts/wire.js';

/** A real Libra result message from the project's copy of the corpus (reference/libra/). */
const real = (file: string): WireDeliverRequest => parseDeliverRequest(readFileSync(new URL(`../../../reference/libra/${file}`, import.meta.url), 'utf8'));
const ok = (c: CourtCase | AdapterError | undefined): CourtCase => {
  if (!c || c instanceof AdapterError) throw new Error(`expected a case, got ${c instanceof AdapterError ? c.message : c}`);
  return c;
};
const caseOf = (m: WireDeliverRequest[]) => ok(mapMessages(m)[0]?.record);
const outcome = (o: Outcome | AdapterError): Outcome => {
  if (o instanceof AdapterError) throw new Error(`expected an outcome, got ${o.message}`);
  return o;
};
/** A deep copy of a parsed message with `edit` applied to its (first) defendant. */
function withDefendant(m: WireDeliverRequest, edit: (d: any) => void, session?: (s: any) => void): WireDeliverRequest {
  const copy = structuredClone(m) as any;
  const s = copy.Message.ResultedCaseMessage.Session[0];
  edit(s.Case[0].Defendant[0]);
  session?.(s);
  return copy;
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

  it.each([['2011-02-30'], ['26/09/2011'], ['2011-9-26']])('rejects the conviction date %s: dates are read as YYYY-MM-DD and must exist', (date) => {
    expect(() => mapFinding('G', date)).toThrow(MappingError);
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

  it.each([['1', 'MALE'], ['2', 'FEMALE'], ['0', 'NOT_KNOWN'], ['9', 'NOT_SPECIFIED'], ['N', 'NOT_KNOWN'], ['n', 'NOT_KNOWN'], ['U', 'NOT_KNOWN'], ['', null], ['Q', null]])(
    'maps defendant sex %s to %s', (code, sex) => {
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
    expect(() => mapResult({ ResultText: '2 other offences taken into consideration' })).toThrow(/ResultCode/);
  });

  it.each([['10:00:00', '10:00'], ['13:30', '13:30'], ['', null]])('reads hearing time %s as %s', (raw, time) => {
    expect(mapTime(raw)).toBe(time);
  });

  it('rejects a time that is not a clock time', () => {
    expect(() => mapTime('25:00:00')).toThrow(MappingError);
  });

  it.each([
    ['1101ZD0100000448754K', '1101ZD0100000448754K'],
    ['11/01ZD/01/448754K', '1101ZD0100000448754K'],
    [' 1101zd0100000448754k ', '1101ZD0100000448754K'],
  ])('reads the ASN %s as %s', (raw, asn) => {
    expect(normaliseAsn(raw)).toBe(asn);
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

describe('courts mapping: real Libra result messages', () => {
  it('maps the message of reference/libra/resulted-case-input-message-001.xml field for field', () => {
    const c = caseOf([real('resulted-case-input-message-001.xml')]);
    expect(c).toMatchObject({
      urn: '01ZD0303208', asn: '1101ZD0100000448754K',
      court: { code: 'B01EF01' },
      bailStatus: { code: 'UNCONDITIONAL_BAIL', spiCode: 'U' }, remandedInCustody: false, custodyTimeLimitExpiry: null,
      hearings: [{ date: '2011-09-26', time: '10:00', court: { code: 'B01EF01' }, type: null, typeCode: null }],
      defendant: {
        asn: '1101ZD0100000448754K', urn: '01ZD0303208',
        name: { title: 'Mr', forenames: ['Trprfour'], surname: 'Sexoffence', fullName: 'Trprfour Sexoffence' },
        dateOfBirth: '1948-11-11', sex: 'MALE',
        address: { lines: ['Scenario1 Address Line 1', 'Scenario1 Address Line 2', 'Scenario1 Address Line 3'], town: null, postcode: null },
      },
      youthAtOffence: false,
    });
    expect(c.charges.map((ch) => [ch.sequence, ch.offence.code, ch.offenceQualifier?.code ?? null])).toEqual([[1, 'SX03001', 'A'], [2, 'SX03001', null], [3, 'RT88191', null]]);
    expect(c.charges[0]).toMatchObject({
      wording: 'Attempt to rape a girl aged 13 / 14 / 15 / years of age - SOA 2003.',
      offenceDate: '2010-11-28', arrestDate: '2010-12-01', chargeDate: '2010-12-02',
      plea: { code: 'NOT_GUILTY', spiCode: '2' },
      finding: { code: 'GUILTY', convictionDate: '2011-09-26' },
      outcomes: [{ code: '3078', description: 'Travel Restriction Order', text: 'Travel Restriction Order' }],
    });
    expect(c.charges[2].outcomes).toEqual([{ code: '1015', description: expect.any(String), text: 'Fined 100.', resultType: expect.anything(), qualifiers: [] }]);
  });

  it('maps the variations message: every result line, qualifiers, and next hearings (prefixed or not) as hearings of the case', () => {
    const c = caseOf([real('resulted-case-input-message-001-variations.xml')]);
    const outcomes = c.charges[0].outcomes.map(outcome);
    expect(outcomes.map((o) => o.code)).toEqual(['3078', '1015', '3008', '3105', '1116', '3068', '3068', '1115', '1115', '9999', '3068', '4575', '3118', '4014', '3105']);
    expect(outcomes[5].qualifiers).toEqual(['BA', 'AW', 'RA']);
    expect(outcomes[9].description).toBe('Non Standard BRC Disposal');
    // The session, and the next hearings results fixed (one of them written without the DC: prefix).
    expect(c.hearings.map((h) => [h.date, h.time, h.court.code])).toEqual([
      ['2008-09-24', '10:00', 'B01EF01'], ['2011-05-08', '13:30', 'B41ME01'], ['2011-05-08', '13:30', '0413'], ['2011-09-26', '10:00', 'B01EF01'], ['2011-10-01', '14:00', 'B01EF01'],
    ]);
    expect(c.charges[1].offence).toMatchObject({ code: 'XX001', title: null });
  });

  it('fails only the result line that has no ResultCode (offences taken into consideration, warrants), keeping the case and the other lines', () => {
    const m = withDefendant(real('resulted-case-input-message-001-variations.xml'), (d) => {
      delete d.Offence[0].Result[12].ResultCode; // the TIC line: "5 Other Offences admitted and taken into consideration"
      delete d.Offence[0].Result[11].ResultCode; // the warrant line
    });
    const c = caseOf([m]);
    const lines = c.charges[0].outcomes;
    expect(lines).toHaveLength(15);
    expect(lines.filter((o) => o instanceof AdapterError)).toHaveLength(2);
    const bad = lines[12] as AdapterError;
    expect(bad).toBeInstanceOf(AdapterError);
    expect(bad.extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', agency: 'courts', recordId: '1101ZD0100000448754K offence 1 result 13' });
    expect(bad.detail).toMatch(/ResultCode/); // the element is named in the log; the client is told the record could not be read
    expect(bad.message).not.toMatch(/taken into consideration/); // the record's text never reaches the error
    expect(outcome(lines[13]).code).toBe('4014');
  });

  it('maps a defendant whose sex is N (not known) instead of refusing the case', () => {
    const m = withDefendant(real('resulted-case-input-message-001.xml'), (d) => { d.CourtIndividualDefendant.PersonDefendant.BasePersonDetails.Gender = 'N'; });
    expect(caseOf([m]).defendant.sex).toBe('NOT_KNOWN');
  });

  it.each([
    ['an impossible hearing date', (s: any) => { s.CourtHearing.Hearing.DateOfHearing = '2011-02-30'; }, /DateOfHearing/],
    ['a hearing date written day first', (s: any) => { s.CourtHearing.Hearing.DateOfHearing = '26/09/2011'; }, /DateOfHearing/],
    ['an impossible date of birth', (s: any) => { s.Case[0].Defendant[0].CourtIndividualDefendant.PersonDefendant.BasePersonDetails.Birthdate = '1948-02-30'; }, /Birthdate/],
    ['no family name', (s: any) => { s.Case[0].Defendant[0].CourtIndividualDefendant.PersonDefendant.BasePersonDetails.PersonName.PersonFamilyName = ''; }, /PersonFamilyName/],
  ])('fails the case, typed and naming the element, for %s', (_label, edit, field) => {
    const [mapped] = mapMessages([withDefendant(real('resulted-case-input-message-001.xml'), () => {}, edit)]);
    expect(mapped.record).toBeInstanceOf(AdapterError);
    expect((mapped.record as AdapterError).extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', agency: 'courts', recordId: '1101ZD0100000448754K' });
    expect((mapped.record as AdapterError).detail).toMatch(field);
  });

  it('merges the messages of several hearings of one case: hearings from all, charges and bail from the latest', () => {
    const first = withDefendant(real('resulted-case-input-message-001.xml'), (d) => {
      d.CourtIndividualDefendant.BailStatus = 'C';
      for (const o of d.Offence) { delete o.Finding; delete o.ConvictionDate; }
    }, (s) => { s.CourtHearing.Hearing.DateOfHearing = '2011-08-01'; });
    const c = caseOf([real('resulted-case-input-message-001.xml'), first]);
    expect(c.hearings.map((h) => h.date)).toEqual(['2011-08-01', '2011-09-26']);
    expect(c.bailStatus?.code).toBe('UNCONDITIONAL_BAIL');
    expect(c.charges[0].finding?.code).toBe('GUILTY');
  });

  it('keys the case by the ASN and leaves out a defendant without one', () => {
    const m = withDefendant(real('resulted-case-input-message-001.xml'), (d) => { delete d.ProsecutorReference; });
    expect(partsOf([m])).toHaveLength(1);
    expect(mapMessages([m])).toEqual([]);
  });

  it('makes an identity record keyed by the ASN, with no PNC or CRO (the message carries none)', () => {
    const c = caseOf([real('resulted-case-input-message-001.xml')]);
    expect(toIdentityRecord(c.defendant)).toMatchObject({
      agency: 'courts', localId: '1101ZD0100000448754K', localIdType: 'ASN', dateOfBirth: '1948-11-11', sex: 'MALE',
      pnc: { raw: null, value: null, valid: false }, cro: { raw: null, valid: false }, crossReferences: [],
    });
    expect(toIdentityRecord(c.defendant).postcode).toBeNull(); // the message's address has no postcode line
    const withPostcode = caseOf([withDefendant(real('resulted-case-input-message-001.xml'), (d) => {
      d.CourtIndividualDefendant!.Address = { SimpleAddress: { AddressLine1: '12 High Street', AddressLine2: 'Sheffield', AddressLine3: 's1  2ab' } };
    })]);
    expect(toIdentityRecord(withPostcode.defendant).postcode).toBe('S1 2AB');
    expect(matchesSearch(c.defendant, 'sex offence', '1948-11-11')).toBe(true);
    expect(matchesSearch(c.defendant, 'Sexoffence', '1948-11-12')).toBe(false);
  });

  it('refuses a document that is not a delivered result message, typed', () => {
    expect(() => parseDeliverRequest('<DeliverRequest><Message/></DeliverRequest>')).toThrow(AdapterError);
    expect(() => parseDeliverRequest('<DeliverRequest><Message>')).toThrow(/well-formed/);
  });
});

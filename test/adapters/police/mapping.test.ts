import { describe, expect, it } from 'vitest';
import { MappingError } from '../../../adapters/errors.js';
import {
  croKeyedForms, mapArrest, mapIntelFlag, mapNominal, mapWarningMarker, toIdentityRecord, ukLocalToUtc,
} from '../../../adapters/police/mapping.js';
import type { ArrestRow, IntelFlagRow, NominalRow, WarningMarkerRow } from '../../../adapters/police/wire.js';

// Rows shaped as the police database returns them (NUMERIC ids as strings, dates as text per column).
const nominal = (over: Partial<NominalRow> = {}): NominalRow => ({
  NOMINAL_ID: '400000', SURNAME: "O'BRIEN-SMITH", FORENAME_1: 'CALLUM', FORENAME_2: 'BRIAN', FORENAME_3: null,
  BIRTH_DATE: '28/12/2002', SEX_CODE: 'M', PNC_ID: '2018/0100006A', CRO_NO: '010001/23V', FORCE_CODE: '04', ...over,
});
const arrest = (over: Partial<ArrestRow> = {}): ArrestRow => ({
  ARREST_ID: '400000-1', NOMINAL_ID: '400000', ARREST_DATE: '03-JUN-2021', OFFENCE_CODE: 'OF61131', STATION_OU: '04BE00',
  OUTCOME_CODE: 'CHG', CASE_URN: '04SW7909783', ASN: '2104SW0012345678901A', CUSTODY_ID: 'CU0466002674', DETAINED_DATETIME: '2021-06-04 00:55:00',
  RELEASED_DATETIME: '2021-06-05 12:00:00', RELEASE_REASON: 'CHARGED AND BAILED', ...over,
});
const marker = (over: Partial<WarningMarkerRow> = {}): WarningMarkerRow => ({
  NOMINAL_ID: '400000', MARKER_SEQ: '1', MARKER_CODE: 'VI', DESCRIPTION: 'VIOLENT', START_DATE: '2017-12-15', END_DATE: null, ACTIVE_FLAG: 'Y', ...over,
});
const flag = (over: Partial<IntelFlagRow> = {}): IntelFlagRow => ({
  FLAG_ID: 'IF4000000', NOMINAL_ID: '400000', CATEGORY_CODE: 'CNTYLINES', CATEGORY_DESC: 'COUNTY LINES', GRADING: '2B1',
  RECORDED_DATE: '20230602', NOTE_TEXT: 'Intelligence held: see intelligence system', ...over,
});

describe('mapNominal', () => {
  it('tidies the upper-case name and reads the DD/MM/YYYY date of birth', () => {
    const n = mapNominal(nominal());
    expect(n.name).toEqual({ title: null, forenames: ['Callum', 'Brian'], surname: "O'Brien-Smith", fullName: "Callum Brian O'Brien-Smith" });
    expect(n.dateOfBirth).toBe('2002-12-28');
    expect(n.sex).toBe('MALE');
    expect(n.force).toEqual({ code: '04', name: 'Lancashire' });
  });

  it.each([
    ['long form', '2018/0100006A', '2018/0100006A', true],
    ['short form', '18/100006A', '2018/0100006A', true],
    ['spaces and lower case', ' 18/100006a ', '2018/0100006A', true],
    ['long form without the slash', '20180100006A', '2018/0100006A', true],
    ['short form without the slash', '18100006A', '2018/0100006A', true],
    ['wrong check character', '2018/0100006B', null, false],
    ['not a PNC at all', 'UNKNOWN', null, false],
    ['missing', null, null, false],
  ])('checks a PNC keyed in %s', (_label, raw, value, valid) => {
    const n = mapNominal(nominal({ PNC_ID: raw }));
    expect({ value: n.pnc.value, valid: n.pnc.valid, raw: n.pnc.raw }).toEqual({ value, valid, raw: raw?.trim() ?? null });
    // Why it does not validate travels with it; nothing to say when valid or not recorded.
    expect(n.pnc.reason != null).toBe(!valid && raw != null);
  });

  it('keeps a CRO number whose check character fails only as recorded', () => {
    const n = mapNominal(nominal({ CRO_NO: '010001/23A' }));
    expect(n.cro).toEqual({ raw: '010001/23A', value: null, valid: false, reason: 'check character does not match' });
  });

  it.each([
    ['U', 'NOT_KNOWN'], ['F', 'FEMALE'], [null, null],
  ])('maps PNC gender code %s through the cross-walk', (code, sex) => {
    expect(mapNominal(nominal({ SEX_CODE: code })).sex).toBe(sex);
  });

  it('names an unknown force code without inventing a name', () => {
    expect(mapNominal(nominal({ FORCE_CODE: '99' })).force).toEqual({ code: '99', name: expect.anything() });
    expect(mapNominal(nominal({ FORCE_CODE: 'ZZ' })).force).toEqual({ code: 'ZZ', name: null });
  });

  it.each([
    ['no surname', { SURNAME: '  ' }],
    ['a non-numeric nominal id', { NOMINAL_ID: 'abc' }],
  ])('refuses a nominal with %s', (_label, over) => {
    expect(() => mapNominal(nominal(over as Partial<NominalRow>))).toThrow(MappingError);
  });

  it.each([
    ['an impossible date of birth', { BIRTH_DATE: '31/02/1980' }, 'dateOfBirth', '31/02/1980'],
    ['a date of birth in another format', { BIRTH_DATE: '19960094' }, 'dateOfBirth', '19960094'],
    ['sex N (not known, outside the cross-walk)', { SEX_CODE: 'N' }, 'sex', 'N'],
  ])('keeps a nominal with %s: the field is null and the problem reported', (_label, over, field, recorded) => {
    const n = mapNominal(nominal(over as Partial<NominalRow>));
    expect(n.nominalId).toBe(nominal().NOMINAL_ID);
    expect(field === 'sex' ? n.sex : n.dateOfBirth).toBeNull();
    expect(n.dataQuality).toEqual([{ field, recorded, problem: expect.any(String) }]);
    expect(toIdentityRecord(n).dataQuality).toEqual(n.dataQuality);
  });

  it('turns a nominal into an identity record keyed by its nominal id', () => {
    const id = toIdentityRecord(mapNominal(nominal({ PNC_ID: '18/100006A' })));
    expect(id).toMatchObject({ agency: 'police', localId: '400000', localIdType: 'POLICE_NOMINAL_ID', dateOfBirth: '2002-12-28', crossReferences: [] });
    expect(id.pnc).toEqual({ raw: '18/100006A', value: '2018/0100006A', valid: true, reason: null });
  });

  it('lists the ASNs of the nominal\'s arrests as cross-references, the keys of their court cases, in canonical form', () => {
    const n = mapNominal(nominal({ ASNS: '2104SW0012345678901A 11/01ZD/01/448754K' }));
    expect(n.asns).toEqual(['2104SW0012345678901A', '1101ZD0100000448754K']);
    expect(toIdentityRecord(n).crossReferences).toEqual([{ type: 'ASN', value: '2104SW0012345678901A' }, { type: 'ASN', value: '1101ZD0100000448754K' }]);
    expect(mapNominal(nominal({ ASNS: null })).asns).toEqual([]);
  });

  it('keeps an arrest without an ASN (not charged) with a null ASN', () => {
    expect(mapArrest(arrest({ ASN: null, OUTCOME_CODE: 'NFA' })).asn).toBeNull();
  });
});

describe('keyed forms of identifiers', () => {
  it('lists the ways a CRO number may have been keyed', () => {
    expect(croKeyedForms('010001/23V').sort()).toEqual(['010001/23V', '10001/23V']);
    expect(croKeyedForms('SF94/123456K')).toEqual(['SF94/123456K']);
  });
});

describe('ukLocalToUtc', () => {
  it.each([
    ['summer time (BST) is one hour ahead', '2021-06-04 00:55:00', '2021-06-03T23:55:00Z'],
    ['winter time (GMT) is UTC', '2021-01-15 09:30:00', '2021-01-15T09:30:00Z'],
    ['the repeated hour when clocks go back takes the earlier instant', '2023-10-29 01:30:00', '2023-10-29T00:30:00Z'],
    ['the hour after clocks go back is GMT', '2023-10-29 02:30:00', '2023-10-29T02:30:00Z'],
  ])('converts %s', (_label, local, utc) => {
    expect(ukLocalToUtc(local, 'DETAINED_DATETIME')).toBe(utc);
  });
  it.each(['31/02/1980', '2021-02-31 10:00:00', '2021-06-04 25:00:00', ''])('refuses %j', (bad) => {
    expect(() => ukLocalToUtc(bad, 'DETAINED_DATETIME')).toThrow(MappingError);
  });
});

describe('mapArrest', () => {
  it('reads the DD-MON-YYYY date, the offence, station, outcome and custody in UTC', () => {
    expect(mapArrest(arrest())).toEqual({
      id: '400000-1', date: '2021-06-03',
      offence: { code: 'OF61131', title: 'Wound / inflict grievous bodily harm without intent', category: 'CE' },
      station: { code: '04BE00', name: 'CARNFORTH STATION Police Service' },
      outcome: 'CHARGED', caseUrn: '04SW7909783', asn: '2104SW0012345678901A',
      custodyRecord: { id: 'CU0466002674', detainedAt: '2021-06-03T23:55:00Z', releasedAt: '2021-06-05T11:00:00Z', releaseReason: 'CHARGED AND BAILED' },
    });
  });

  it.each([['NFA', 'NO_FURTHER_ACTION'], ['CAU', 'CAUTIONED'], ['RUI', 'RELEASED_UNDER_INVESTIGATION']])('maps outcome code %s', (code, outcome) => {
    expect(mapArrest(arrest({ OUTCOME_CODE: code })).outcome).toBe(outcome);
  });

  it('keeps an offence code that is not on the CJS list, without a title', () => {
    expect(mapArrest(arrest({ OFFENCE_CODE: 'ZZ99999' })).offence).toEqual({ code: 'ZZ99999', title: null, category: null });
  });

  it('has no custody record when the person was not detained', () => {
    expect(mapArrest(arrest({ CUSTODY_ID: null, DETAINED_DATETIME: null, RELEASED_DATETIME: null, RELEASE_REASON: null })).custodyRecord).toBeNull();
  });

  it.each([
    ['an impossible arrest date', { ARREST_DATE: '31-FEB-2020' }],
    ['an arrest date in another format', { ARREST_DATE: '03/06/2021' }],
    ['a retired outcome code', { OUTCOME_CODE: 'BAIL' }],
    ['a garbage detention time', { DETAINED_DATETIME: '31/02/1980' }],
  ])('refuses an arrest with %s', (_label, over) => {
    expect(() => mapArrest(arrest(over as Partial<ArrestRow>))).toThrow(MappingError);
  });
});

describe('mapWarningMarker', () => {
  it('reads an open marker with its code-table description', () => {
    expect(mapWarningMarker(marker())).toEqual({ recordId: expect.stringMatching(/^\d+\/\d+$/), code: 'VI', description: 'VIOLENT', startDate: '2017-12-15', endDate: null, active: true });
  });
  it('reads an ended marker flagged N', () => {
    expect(mapWarningMarker(marker({ END_DATE: '2026-10-20', ACTIVE_FLAG: 'N' }))).toMatchObject({ endDate: '2026-10-20', active: false });
  });
  it('has no description for a code missing from the code table', () => {
    expect(mapWarningMarker(marker({ MARKER_CODE: 'QQ', DESCRIPTION: null })).description).toBeNull();
  });
  it.each([
    ['a flag other than Y or N', { ACTIVE_FLAG: '1' }],
    ['an impossible start date', { START_DATE: '31/02/1980' }],
  ])('refuses a marker with %s', (_label, over) => {
    expect(() => mapWarningMarker(marker(over as Partial<WarningMarkerRow>))).toThrow(MappingError);
  });
});

describe('mapIntelFlag', () => {
  it('reads the YYYYMMDD date and the category description', () => {
    expect(mapIntelFlag(flag())).toEqual({
      id: 'IF4000000', category: 'COUNTY LINES', categoryCode: 'CNTYLINES', grading: '2B1', recordedDate: '2023-06-02', note: 'Intelligence held: see intelligence system',
    });
  });
  it('falls back to the code when the category is not on the code table', () => {
    expect(mapIntelFlag(flag({ CATEGORY_CODE: 'NEWCAT', CATEGORY_DESC: null })).category).toBe('NEWCAT');
  });
  it('refuses an impossible recorded date', () => {
    expect(() => mapIntelFlag(flag({ RECORDED_DATE: '20230231' }))).toThrow(MappingError);
  });
});

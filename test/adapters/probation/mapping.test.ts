import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MappingError } from '../../../adapters/errors.js';
import {
  checkedId, mapGender, mapLicenceCondition, mapOffenderDetail, mapOffenderManager, mapRegistration, mapRequirement, mapRiskColour, toIdentityRecord,
} from '../../../adapters/probation/mapping.js';
import type { WireOffenderDetail, WireSupervisionDetail } from '../../../adapters/probation/wire.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/probation/${name}`, import.meta.url), 'utf8'));
const detail = (): WireOffenderDetail => fixture('offender-detail.json');
const supervision = (): WireSupervisionDetail => fixture('supervision-detail.json');

describe('probation OffenderDetail mapping', () => {
  it('maps the recorded identity of an offender', () => {
    const r = mapOffenderDetail(detail());
    expect(r).toMatchObject({
      crn: 'A123456',
      offenderId: '2500000501',
      name: { title: 'Mr', forenames: ['John', 'Paul'], surname: "O'Brien-Smith", fullName: "John Paul O'Brien-Smith" },
      aliases: [{ forenames: ['Johnny'], surname: 'Smith' }],
      dateOfBirth: '1996-02-10',
      sex: 'MALE',
      nomsNumber: 'G5555TT',
      officerNotes: 'Reports weekly; engages well.',
    });
  });

  it('keeps a valid PNC normalised and an invalid CRO only as recorded', () => {
    const r = mapOffenderDetail(detail());
    expect(r.pnc).toEqual({ raw: '2012/0052494Q', value: '2012/0052494Q', valid: true });
    expect(r.cro).toEqual({ raw: '123456/24A', value: null, valid: false });
  });

  it.each([
    ['12/52494Q', { raw: '12/52494Q', value: '2012/0052494Q', valid: true }],
    [' 2012/0052494q ', { raw: '2012/0052494q', value: '2012/0052494Q', valid: true }],
    ['2012/0052494A', { raw: '2012/0052494A', value: null, valid: false }],
    [null, { raw: null, value: null, valid: false }],
    ['', { raw: null, value: null, valid: false }],
  ])('checks PNC %j', (raw, expected) => {
    expect(checkedId(raw, 'PNC')).toEqual(expected);
  });

  it('reports restriction and exclusion flags with their messages', () => {
    const r = mapOffenderDetail({ ...detail(), currentRestriction: true, restrictionMessage: 'Restricted' });
    expect([r.restricted, r.restrictionMessage, r.excluded]).toEqual([true, 'Restricted', true]);
    expect(r.exclusionMessage).toMatch(/excluded/);
  });

  it('treats absent restriction flags as not restricted', () => {
    const r = mapOffenderDetail({ ...detail(), currentRestriction: null, currentExclusion: undefined });
    expect([r.restricted, r.excluded]).toEqual([false, false]);
  });

  it('picks the active offender manager over an ended allocation', () => {
    expect(mapOffenderDetail(detail()).offenderManager).toEqual({
      staffCode: 'AN001A',
      name: { title: null, forenames: ['Sheila', 'Linda'], surname: 'Hancock', fullName: 'Sheila Linda Hancock' },
      unallocated: false,
      team: { code: 'C01T04', description: 'OMU A' },
      probationArea: { code: 'C01', description: 'NPS North East' },
      fromDate: '2020-04-01',
    });
  });

  it('gives an unallocated case a staff code but no officer name', () => {
    const m = mapOffenderManager([{ staff: { code: 'C01T04U', unallocated: true }, team: { code: 'C01T04' }, active: true }]);
    expect(m).toMatchObject({ staffCode: 'C01T04U', name: null, unallocated: true, probationArea: null });
  });

  it('has no offender manager when none is recorded', () => {
    expect(mapOffenderManager(null)).toBeNull();
    expect(mapOffenderManager([{ active: false, toDate: '2020-01-01' }])).toBeNull();
  });

  it.each([
    ['dateOfBirth', '1996-02-30'],
    ['dateOfBirth', '10/02/1996'],
    ['surname', null],
    ['gender', 'Martian'],
  ])('refuses a record whose %s is %j', (field, value) => {
    expect(() => mapOffenderDetail({ ...detail(), [field]: value })).toThrow(MappingError);
  });

  it('refuses a record without a CRN', () => {
    expect(() => mapOffenderDetail({ ...detail(), otherIds: { crn: '' } })).toThrow(/otherIds.crn/);
  });

  it.each([
    ['Male', 'MALE'], ['Female', 'FEMALE'], ['Not Known', 'NOT_KNOWN'], ['Not Specified', 'NOT_SPECIFIED'], [null, null],
  ])('maps gender %j through the CJS cross-walk to %j', (gender, sex) => {
    expect(mapGender(gender)).toBe(sex);
  });

  it('gives the identity service the CRN and the NOMS number as a prison cross-reference', () => {
    const id = toIdentityRecord(mapOffenderDetail(detail()));
    expect(id).toMatchObject({ agency: 'probation', localId: 'A123456', localIdType: 'CRN', crossReferences: [{ type: 'PRISON_NUMBER', value: 'G5555TT' }] });
    expect(toIdentityRecord(mapOffenderDetail({ ...detail(), otherIds: { crn: 'A123456', nomsNumber: null } })).crossReferences).toEqual([]);
  });
});

describe('probation supervision mapping', () => {
  it('maps a MAPPA registration with its level and colour', () => {
    expect(mapRegistration(supervision().registrations[0])).toEqual({
      id: '2500064995', code: 'MAPP', description: 'MAPPA', registerLevel: 'M2', registerLevelDescription: 'MAPPA Level 2',
      riskColour: 'RED', startDate: '2021-02-01', nextReviewDate: '2021-08-01', active: true,
    });
  });

  it.each([['Red', 'RED'], ['amber', 'AMBER'], ['Green', 'GREEN'], ['White', 'WHITE'], [null, null]])('maps risk colour %j', (c, expected) => {
    expect(mapRiskColour(c)).toBe(expected);
  });

  it('refuses an unknown risk colour and an impossible review date', () => {
    expect(() => mapRiskColour('Purple')).toThrow(MappingError);
    expect(() => mapRegistration({ ...supervision().registrations[0], nextReviewDate: '2021-13-45' })).toThrow(MappingError);
  });

  it('maps an unpaid work requirement with its length', () => {
    expect(mapRequirement(supervision().requirements[0])).toEqual({
      id: '2500083652', categoryCode: 'W', category: 'Unpaid Work', subCategory: 'Regular', startDate: '2021-03-01', length: 120, lengthUnit: 'Hours', active: true,
    });
  });

  it('keeps the exclusion zone wording of a licence condition in detail', () => {
    expect(mapLicenceCondition(supervision().licenceConditions[0])).toEqual({
      id: '2500080611', code: 'NLC8', description: 'Exclusion zone',
      detail: 'Not to enter the area of Sheffield city centre as defined on the attached map', startDate: '2021-03-01', active: true,
    });
  });

  it('refuses a licence condition without a code', () => {
    expect(() => mapLicenceCondition({ licenceConditionNotes: 'x', active: true })).toThrow(MappingError);
  });
});

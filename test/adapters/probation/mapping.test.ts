import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MappingError } from '../../../adapters/errors.js';
import {
  checkedId, isUnallocatedStaff, mapCaseAccess, mapGender, mapLicenceCondition, mapMappa, mapOffenderDetail, mapOffenderManager, mapRequirement, mapRiskRegistration, toIdentityRecord,
} from '../../../adapters/probation/mapping.js';
import type { WireLicenceCondition, WireOffenderDetail, WireRequirement, WireSupervisionResponse } from '../../../adapters/probation/wire.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/probation/${name}`, import.meta.url), 'utf8'));
const detail = (): WireOffenderDetail => fixture('offender-detail.json');
const conditions = (): { requirements: WireRequirement[]; licenceConditions: WireLicenceCondition[] } => fixture('case-conditions.json');
const supervisions = (): WireSupervisionResponse => fixture('supervisions.json');

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
    expect(r.pnc).toEqual({ raw: '2012/0052494Q', value: '2012/0052494Q', valid: true, reason: null });
    expect(r.cro).toEqual({ raw: '123456/24A', value: null, valid: false, reason: 'check character does not match' });
  });

  it.each([
    ['12/52494Q', { raw: '12/52494Q', value: '2012/0052494Q', valid: true, reason: null }],
    [' 2012/0052494q ', { raw: '2012/0052494q', value: '2012/0052494Q', valid: true, reason: null }],
    ['2012/0052494A', { raw: '2012/0052494A', value: null, valid: false, reason: 'check character does not match' }],
    [null, { raw: null, value: null, valid: false, reason: null }],
    ['', { raw: null, value: null, valid: false, reason: null }],
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

  it.each<[string, object]>([
    ['flagged unallocated', { code: 'C01T04U', unallocated: true }],
    ['named "Unallocated Staff" but not flagged', { code: 'C01T04U', forenames: 'Unallocated', surname: 'Staff', unallocated: false }],
    ['named "Unallocated Staff" under another code', { code: 'N07UAT', forenames: 'Unallocated', surname: 'Staff' }],
    ['a code ending in U with no officer name', { code: 'N07T02U', forenames: null, surname: null }],
  ])('reads nDelius\'s placeholder officer (%s) as unallocated, never a named offender manager', (_name, staff) => {
    const m = mapOffenderManager([{ staff, team: { code: 'C01T04' }, active: true }]);
    expect(m).toMatchObject({ name: null, unallocated: true });
  });

  it('keeps a real officer whose staff code happens to end in U', () => {
    expect(isUnallocatedStaff({ code: 'N07A01U', forenames: 'Una', surname: 'Ursell' })).toBe(false);
    expect(mapOffenderManager([{ staff: { code: 'N07A01U', forenames: 'Una', surname: 'Ursell' }, active: true }])).toMatchObject({ unallocated: false, name: { fullName: 'Una Ursell' } });
  });

  it('maps an nDelius ProbationCaseDetail, which has no offenderId and no managers', () => {
    const [c] = fixture('probation-cases.json') as WireOffenderDetail[];
    expect(mapOffenderDetail(c)).toMatchObject({
      crn: 'A123456', offenderId: null, name: { fullName: 'John Paul Smith' }, dateOfBirth: '1996-02-10', sex: 'MALE',
      pnc: { value: '2012/0052494Q', valid: true }, nomsNumber: 'G5555TT', offenderManager: null, officerNotes: null, restricted: false, excluded: false,
    });
  });

  it('ignores fields it does not know, reads absent ones as null and keeps a gender outside the cross-walk as recorded', () => {
    const r = mapOffenderDetail({ ...detail(), gender: 'Martian', title: undefined, somethingNew: { a: 1 } } as WireOffenderDetail);
    expect(r).toMatchObject({ crn: 'A123456', sex: null, sexRecorded: 'Martian', name: { title: null } });
  });

  it('has no offender manager when none is recorded', () => {
    expect(mapOffenderManager(null)).toBeNull();
    expect(mapOffenderManager([{ active: false, toDate: '2020-01-01' }])).toBeNull();
  });

  it.each(['1996-02-30', '10/02/1996', '19960094'])('keeps a record whose date of birth is %j: the date null, the problem reported', (value) => {
    const r = mapOffenderDetail({ ...detail(), dateOfBirth: value });
    expect(r.dateOfBirth).toBeNull();
    expect(r.dataQuality).toEqual([{ field: 'dateOfBirth', recorded: value, problem: expect.any(String) }]);
    expect(toIdentityRecord(r)).toMatchObject({ localId: r.crn, dateOfBirth: null, dataQuality: r.dataQuality });
  });

  it('keeps a record whose gender is outside the cross-walk, with the problem reported', () => {
    const r = mapOffenderDetail({ ...detail(), gender: 'N' });
    expect(r.sex).toBeNull();
    expect(r.dataQuality).toEqual([{ field: 'sex', recorded: 'N', problem: expect.any(String) }]);
  });

  it.each([
    ['surname', null],
    ['offenderId', 'not a number'],
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
  it('maps nDelius MAPPA detail as the MAPP registration with its level', () => {
    expect(mapMappa(supervisions().mappaDetail!)).toEqual({
      id: null, code: 'MAPP', description: 'MAPPA', registerLevel: 'M2', registerLevelDescription: 'MAPPA Level 2',
      riskColour: null, startDate: '2021-02-01', nextReviewDate: '2021-08-01', active: true,
    });
  });

  it('maps dynamic risks and person status as current registrations', () => {
    const s = supervisions();
    expect([...s.dynamicRisks!, ...s.personStatus!].map(mapRiskRegistration)).toEqual([
      { id: null, code: 'RCCO', description: 'Child Concerns', registerLevel: null, registerLevelDescription: null, riskColour: null, startDate: '2021-02-01', nextReviewDate: '2021-08-01', active: true },
      { id: null, code: 'ASFO', description: 'Serious Further Offence - Subject to SFO review/investigation', registerLevel: null, registerLevelDescription: null, riskColour: null, startDate: '2021-03-01', nextReviewDate: null, active: true },
    ]);
  });

  it('refuses a registration without a code, an impossible review date and a MAPPA level outside 0 to 3', () => {
    expect(() => mapRiskRegistration({ description: 'x' })).toThrow(MappingError);
    expect(() => mapRiskRegistration({ ...supervisions().dynamicRisks![0], reviewDate: '2021-13-45' })).toThrow(MappingError);
    expect(() => mapMappa({ level: 7 })).toThrow(MappingError);
  });

  it('maps an unpaid work requirement with its length', () => {
    expect(mapRequirement(conditions().requirements[0])).toEqual({
      id: '2500083652', categoryCode: 'W', category: 'Unpaid Work', subCategory: 'Regular', startDate: '2021-03-01', length: 120, lengthUnit: 'Hours', active: true,
    });
  });

  it('keeps the exclusion zone wording of a licence condition in detail', () => {
    expect(mapLicenceCondition(conditions().licenceConditions[0])).toEqual({
      id: '2500080611', code: 'NLC8', description: 'Exclusion zone',
      detail: 'Not to enter the area of Sheffield city centre as defined on the attached map', startDate: '2021-03-01', active: true,
    });
  });

  it('refuses a licence condition without a code', () => {
    expect(() => mapLicenceCondition({ licenceConditionNotes: 'x', active: true })).toThrow(MappingError);
  });
});

describe('nDelius per-user access', () => {
  it('maps each case\'s answer, reading a flag left out as set so that no answer opens a case', () => {
    expect(mapCaseAccess({ crn: 'a123456', userExcluded: true, userRestricted: false })).toEqual({ crn: 'A123456', userExcluded: true, userRestricted: false });
    expect(mapCaseAccess({ crn: 'B123456' })).toEqual({ crn: 'B123456', userExcluded: true, userRestricted: true });
    expect(() => mapCaseAccess({ userExcluded: false })).toThrow(MappingError);
  });
});

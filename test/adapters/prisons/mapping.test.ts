import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MappingError } from '../../../adapters/errors.js';
import {
  mapAlert, mapCustodyPeriod, mapPrisoner, mapPrisonerRecord, nextReleaseDateOf, nomisName, prisonOrganisation, sexOf, toIdentityRecord,
} from '../../../adapters/prisons/mapping.js';
import type { Alert, AlertsResponse, Prisoner } from '../../../adapters/prisons/wire.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../fixtures/prisons/${name}`, import.meta.url), 'utf8')) as T;
const alerts = fixture<AlertsResponse>('alerts.json');
const [prisoner] = fixture<Prisoner[]>('prisoner-numbers.json');

describe('custody periods from the Prisoner Search record', () => {
  it('maps the latest booking of the Prisoner Search example', () => {
    expect(mapCustodyPeriod(prisoner)).toEqual({
      bookingId: '2900924',
      bookingNumber: '38412A',
      prison: { code: 'MDI', name: 'Moorland (HMP & YOI)' },
      legalStatus: 'SENTENCED',
      legalStatusCode: 'SENTENCED',
      custodyState: 'IN_PRISON',
      status: 'ACTIVE IN',
      receptionDate: '2023-05-01',
      active: true,
      releaseDate: null,
      expectedReleaseDate: '2023-05-01',
      sentenceLengthDays: 1123,
      cellLocation: 'A-1-002',
    });
  });

  const released: Prisoner = { ...prisoner, prisonId: 'OUT', lastPrisonId: undefined, status: 'INACTIVE OUT', inOutStatus: 'OUT', lastMovementTypeCode: 'REL', cellLocation: undefined };
  it.each<[string, Prisoner, Partial<ReturnType<typeof mapCustodyPeriod>>]>([
    ['a released booking keeps its actual release date and has no cell', released, { active: false, releaseDate: '2023-05-02', cellLocation: null, prison: null }],
    ['a released booking names the prison that released the person when the index says', { ...released, lastPrisonId: 'LEI' }, { prison: { code: 'LEI', name: 'Leeds (HMP)' } }],
    ['a remand booking has no sentence length or expected release', { ...prisoner, legalStatus: 'REMAND', sentenceStartDate: undefined, sentenceExpiryDate: undefined, conditionalReleaseDate: undefined }, { legalStatus: 'REMAND', sentenceLengthDays: null, expectedReleaseDate: null }],
    ['a legal status left out is null', { ...prisoner, legalStatus: undefined }, { legalStatus: null, legalStatusCode: null }],
    ['a legal status outside the enum is kept as its code, not refused', { ...prisoner, legalStatus: 'ON_HOLIDAY' }, { legalStatus: null, legalStatusCode: 'ON_HOLIDAY', bookingId: '2900924' }],
    ['a released booking reads as released', released, { custodyState: 'RELEASED', status: 'INACTIVE OUT' }],
    ['a person in transit between prisons (INACTIVE TRN) is in custody, not released', { ...released, status: 'INACTIVE TRN', inOutStatus: 'TRN', prisonId: 'TRN', lastPrisonId: 'LEI', lastMovementTypeCode: 'TRN' },
      { custodyState: 'IN_TRANSIT', active: true, releaseDate: null, cellLocation: null, prison: { code: 'LEI', name: 'Leeds (HMP)' }, expectedReleaseDate: '2023-05-01' }],
    ['a temporary absence (ACTIVE OUT, TAP) is in custody at its prison', { ...prisoner, status: 'ACTIVE OUT', inOutStatus: 'OUT', lastMovementTypeCode: 'TAP' },
      { custodyState: 'TEMPORARY_ABSENCE', active: true, releaseDate: null, prison: { code: 'MDI', name: 'Moorland (HMP & YOI)' } }],
    ['a day at court (ACTIVE OUT, CRT) is in custody', { ...prisoner, status: 'ACTIVE OUT', inOutStatus: 'OUT', lastMovementTypeCode: 'CRT' }, { custodyState: 'AT_COURT', active: true }],
    ['a status NOMIS may add later is kept, its ACTIVE or INACTIVE deciding', { ...prisoner, status: 'ACTIVE ELSEWHERE' }, { custodyState: null, status: 'ACTIVE ELSEWHERE', active: true }],
    ['unknown fields are ignored', { ...prisoner, somethingNew: { nested: 1 } } as Prisoner, { bookingId: '2900924', custodyState: 'IN_PRISON' }],
  ])('%s', (_name, input, expected) => {
    expect(mapCustodyPeriod(input)).toMatchObject(expected as object);
  });

  it('gives null for a person without a booking', () => {
    expect(mapCustodyPeriod({ prisonerNumber: 'A1234AA', firstName: 'JOHN', lastName: 'SMITH' })).toBeNull();
  });

  it.each<[string, Prisoner]>([
    ['an impossible reception date', { ...prisoner, receptionDate: '2010-02-30' }],
    ['a sentence that expires before it starts', { ...prisoner, sentenceStartDate: '2020-01-01', sentenceExpiryDate: '2019-01-01' }],
    ['a booking with no status at all', { ...prisoner, status: undefined, inOutStatus: undefined }],
    ['a booking id that is not a number', { ...prisoner, bookingId: 'B-12' }],
    ['a date written the NOMIS-screen way', { ...prisoner, receptionDate: '03/02/2010' }],
  ])('refuses %s', (_name, input) => {
    expect(() => mapCustodyPeriod(input)).toThrow(MappingError);
  });
});

describe('alerts from the Prisoner Alerts API', () => {
  const list = alerts.content!;
  it('maps an expired security alert and an open self-harm alert', () => {
    expect(list.map(mapAlert)).toEqual([
      { alertId: '8cdadcf3-b003-4116-9956-c99bd8df6a00', type: 'X', typeDescription: 'Security', code: 'XER', description: 'Escape Risk', dateCreated: '2021-09-27', dateExpires: '2022-07-15', active: false },
      { alertId: '4a1b5b1e-3b9c-4c4f-8d5e-2f0c6a7b8c9d', type: 'H', typeDescription: 'Self Harm', code: 'HA', description: 'ACCT Open (HMPS)', dateCreated: '2023-09-27', dateExpires: null, active: true },
    ]);
  });

  it('ignores fields it does not know and reads absent optional ones as null', () => {
    const { alertCode, ...rest } = list[1];
    expect(mapAlert({ ...rest, alertCode: { code: alertCode!.code, alertTypeCode: alertCode!.alertTypeCode }, brandNew: true } as Alert)).toMatchObject({ code: 'HA', typeDescription: null, description: null, dateExpires: null });
  });

  it.each<[string, Alert]>([
    ['no alert code', { ...list[0], alertCode: undefined }],
    ['an impossible active-from date', { ...list[0], activeFrom: '2019-02-29' }],
    ['no active flag', { ...list[0], isActive: undefined }],
    ['no alert id', { ...list[0], alertUuid: undefined }],
  ])('refuses an alert with %s', (_name, input) => {
    expect(() => mapAlert(input)).toThrow(MappingError);
  });
});

describe('prisoner record from Prisoner Search', () => {
  it('maps the Prisoner Search example, validating its short-form PNC and CRO', () => {
    expect(mapPrisonerRecord(prisoner)).toEqual({
      prisonNumber: 'A1234AA',
      name: { title: null, forenames: ['Robert', 'John', 'James'], surname: 'Larsen', fullName: 'Robert John James Larsen' },
      dateOfBirth: '1975-04-02',
      sex: 'FEMALE',
      sexRecorded: 'Female',
      pnc: { raw: '12/394773H', value: '2012/0394773H', valid: true, reason: null },
      cro: { raw: '29906/12J', value: '029906/12J', valid: true, reason: null },
      aliases: [{ name: { title: null, forenames: ['Robert', 'Trevor'], surname: 'Lorsen', fullName: 'Robert Trevor Lorsen' }, dateOfBirth: '1975-04-02' }],
      dataQuality: [],
    });
  });

  it.each<[string, Partial<Prisoner>, object]>([
    ['keeps a PNC with a wrong check character only as recorded', { pncNumber: '2018/0123456X' }, { pnc: { raw: '2018/0123456X', value: null, valid: false, reason: 'check character does not match' } }],
    ['reads a missing PNC as not recorded', { pncNumber: undefined }, { pnc: { raw: null, value: null, valid: false, reason: null } }],
    ['tidies NOMIS upper-case names', { firstName: 'SEAN', middleNames: undefined, lastName: "O'BRIEN-SMITH" }, { name: { title: null, forenames: ['Sean'], surname: "O'Brien-Smith", fullName: "Sean O'Brien-Smith" } }],
    ['accepts lower-case prison numbers', { prisonerNumber: 'a1234aa' }, { prisonNumber: 'A1234AA' }],
    ['keeps a gender outside the cross-walk as recorded, with no sex', { gender: 'Robot' }, { sex: null, sexRecorded: 'Robot', prisonNumber: 'A1234AA', dataQuality: [{ field: 'sex', recorded: 'Robot', problem: expect.any(String) }] }],
    ['keeps a record with an impossible date of birth: the date null, the problem reported', { dateOfBirth: '1975-02-30' }, { prisonNumber: 'A1234AA', dateOfBirth: null, dataQuality: [{ field: 'dateOfBirth', recorded: '1975-02-30', problem: expect.any(String) }] }],
    ['keeps a record with no date of birth', { dateOfBirth: undefined }, { prisonNumber: 'A1234AA', dateOfBirth: null, dataQuality: [] }],
  ])('%s', (_name, patch, expected) => {
    expect(mapPrisonerRecord({ ...prisoner, ...patch })).toMatchObject(expected);
  });

  it.each<[string, Partial<Prisoner>]>([
    ['no surname', { lastName: '  ' }],
    ['a prison number of the wrong shape', { prisonerNumber: '12345' }],
  ])('refuses a record with %s', (_name, patch) => {
    expect(() => mapPrisonerRecord({ ...prisoner, ...patch })).toThrow(MappingError);
  });

  it.each<[string | undefined, string | null]>([
    ['Male', 'MALE'], ['Female', 'FEMALE'], ['Not Known / Not Recorded', 'NOT_KNOWN'], ['Not Specified (Indeterminate)', 'NOT_SPECIFIED'], [undefined, null],
  ])('maps gender %s to %s through the CJS gender cross-walk', (gender, sex) => {
    expect(sexOf(gender)).toBe(sex);
  });

  it.each<[string, Partial<Prisoner>, string | null]>([
    ['the conditional release date of an active booking', { status: 'ACTIVE IN', conditionalReleaseDate: '2026-12-16' }, '2026-12-16'],
    ['nothing once released', { status: 'INACTIVE OUT' }, null],
    ['the conditional release date while in transit between prisons', { status: 'INACTIVE TRN', inOutStatus: 'TRN', conditionalReleaseDate: '2026-12-16' }, '2026-12-16'],
    ['the conditional release date on a temporary absence', { status: 'ACTIVE OUT', inOutStatus: 'OUT', lastMovementTypeCode: 'TAP', conditionalReleaseDate: '2026-12-16' }, '2026-12-16'],
    ['nothing on remand', { status: 'ACTIVE IN', conditionalReleaseDate: undefined, releaseDate: undefined }, null],
  ])('gives as next release %s', (_name, patch, expected) => {
    expect(nextReleaseDateOf({ ...prisoner, ...patch })).toBe(expected);
  });

  it('presents the record for identity linking under its prison number', () => {
    const identity = toIdentityRecord(mapPrisoner(prisoner).record);
    expect(identity).toMatchObject({ agency: 'prisons', localId: 'A1234AA', localIdType: 'PRISON_NUMBER', dateOfBirth: '1975-04-02', crossReferences: [] });
    expect(identity.aliases.map((a) => a.fullName)).toEqual(['Robert Trevor Lorsen']);
  });
});

describe('names and prisons', () => {
  it('splits NOMIS middle names held in one field', () => {
    expect(nomisName('JOHN', 'PAUL  GEORGE', 'SMITH').forenames).toEqual(['John', 'Paul', 'George']);
  });

  it.each<[string, object | null]>([
    ['MDI', { code: 'MDI', name: 'Moorland (HMP & YOI)' }],
    ['OUT', null],
    ['TRN', null],
    ['ZZZ', { code: 'ZZZ', name: null }],
  ])('reads agency %s as a prison', (code, expected) => {
    expect(prisonOrganisation(code)).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { formatCro, formatPnc } from '../../../adapters/normalise.js';
import { personName, type IdentityRecord } from '../../../schema/model.js';
import { cluster, conflicts, gradeCandidate } from '../../../subgraphs/identity/linking.js';

const PNC = formatPnc(2005, 777);
const OTHER_PNC = formatPnc(2006, 888);
const CRO = formatCro(4242, 9);

function rec(over: Partial<IdentityRecord> & Pick<IdentityRecord, 'agency' | 'localId'>): IdentityRecord {
  return {
    localIdType: over.agency === 'police' ? 'POLICE_NOMINAL_ID' : over.agency === 'prisons' ? 'PRISON_NUMBER' : over.agency === 'probation' ? 'CRN' : 'ASN',
    name: personName(['John'], 'Smith'), aliases: [], dateOfBirth: '1980-02-01', sex: 'MALE',
    pnc: { raw: null, value: null, valid: false }, cro: { raw: null, value: null, valid: false }, crossReferences: [],
    ...over,
  };
}
const pnc = (value: string) => ({ raw: value, value, valid: true });

describe('linking by trusted identifiers', () => {
  it('joins records that share a validated PNC, with certainty', () => {
    const [c, ...rest] = cluster([rec({ agency: 'police', localId: '1', pnc: pnc(PNC) }), rec({ agency: 'courts', localId: '2', pnc: pnc(PNC) })]);
    expect(rest).toHaveLength(0);
    expect(c.records.map((r) => r.agency)).toEqual(['courts', 'police']);
    expect(c.basis.get('police=1')).toContain('PNC');
  });

  it('does not join on a PNC that failed its check character', () => {
    const bad = { raw: PNC.slice(0, -1) + 'Z', value: null, valid: false };
    expect(cluster([rec({ agency: 'police', localId: '1', pnc: bad }), rec({ agency: 'courts', localId: '2', pnc: bad })])).toHaveLength(2);
  });

  it('follows a cross-reference from probation to the prison record', () => {
    const clusters = cluster([
      rec({ agency: 'prisons', localId: 'A1234BC' }),
      rec({ agency: 'probation', localId: 'X123456', crossReferences: [{ type: 'PRISON_NUMBER', value: 'A1234BC' }] }),
    ]);
    expect(clusters).toHaveLength(1);
    expect(clusters[0].basis.get('probation=X123456')).toContain('CROSS_REFERENCE');
  });

  it('chains PNC and CRO links into one person', () => {
    const clusters = cluster([
      rec({ agency: 'police', localId: '1', pnc: pnc(PNC) }),
      rec({ agency: 'courts', localId: '2', pnc: pnc(PNC), cro: pnc(CRO) }),
      rec({ agency: 'prisons', localId: 'A1', cro: pnc(CRO) }),
    ]);
    expect(clusters).toHaveLength(1);
  });
});

describe('candidate grades', () => {
  const person = [rec({ agency: 'police', localId: '1', pnc: pnc(PNC) })];

  it('offers a record with the same name and date of birth but no identifier as PROBABLE', () => {
    expect(gradeCandidate(person, rec({ agency: 'probation', localId: 'X1' }))).toMatchObject({ grade: 'PROBABLE', basis: 'NAME_AND_DATE_OF_BIRTH' });
  });
  it('offers a known forename variant as PROBABLE', () => {
    const p = [rec({ agency: 'police', localId: '1', name: personName(['William'], 'Jones') })];
    expect(gradeCandidate(p, rec({ agency: 'probation', localId: 'X1', name: personName(['Bill'], 'JONES') }))).toMatchObject({ grade: 'PROBABLE', basis: 'NAME_VARIANT_AND_DATE_OF_BIRTH' });
  });
  it('offers a different forename with the same surname and date of birth only as POSSIBLE', () => {
    expect(gradeCandidate(person, rec({ agency: 'probation', localId: 'X1', name: personName(['Peter'], 'Smith') }))).toMatchObject({ grade: 'POSSIBLE' });
  });
  it('offers a day-month transposed date of birth as POSSIBLE', () => {
    expect(gradeCandidate(person, rec({ agency: 'probation', localId: 'X1', dateOfBirth: '1980-01-02' }))).toMatchObject({ grade: 'POSSIBLE', basis: 'NAME_AND_SIMILAR_DATE_OF_BIRTH' });
  });
  it('never offers a record whose own valid PNC contradicts the person', () => {
    expect(gradeCandidate(person, rec({ agency: 'probation', localId: 'X1', pnc: pnc(OTHER_PNC) }))).toBeNull();
  });
  it('never offers a record with another surname', () => {
    expect(gradeCandidate(person, rec({ agency: 'probation', localId: 'X1', name: personName(['John'], 'Smyth') }))).toBeNull();
  });
});

describe('conflicts', () => {
  it('shows each conflicting date of birth with the agencies that hold it', () => {
    const c = conflicts([
      rec({ agency: 'police', localId: '1' }), rec({ agency: 'courts', localId: '2' }), rec({ agency: 'prisons', localId: 'A', dateOfBirth: '1980-01-02' }),
    ]);
    expect(c).toEqual([{ field: 'dateOfBirth', values: [{ value: '1980-02-01', agencies: ['courts', 'police'] }, { value: '1980-01-02', agencies: ['prisons'] }] }]);
  });
  it('shows PNCs that differ between records joined by a cross-reference, with the agencies that hold each', () => {
    const records = [
      rec({ agency: 'prisons', localId: 'A1234BC', pnc: pnc(PNC) }),
      rec({ agency: 'probation', localId: 'X123456', pnc: pnc(OTHER_PNC), crossReferences: [{ type: 'PRISON_NUMBER', value: 'A1234BC' }] }),
      rec({ agency: 'police', localId: '1', pnc: pnc(PNC) }),
    ];
    expect(cluster(records)).toHaveLength(1); // one person, by the prison number probation holds
    expect(conflicts(records)).toEqual([{ field: 'pnc', values: [{ value: PNC, agencies: ['police', 'prisons'] }, { value: OTHER_PNC, agencies: ['probation'] }] }]);
  });

  it('shows CRO numbers that differ between records joined by PNC, standard and SF format alike', () => {
    const sf = { raw: 'SF12/8N', value: 'SF12/8N', valid: true };
    const c = conflicts([rec({ agency: 'police', localId: '1', pnc: pnc(PNC), cro: pnc(CRO) }), rec({ agency: 'prisons', localId: 'A1', pnc: pnc(PNC), cro: sf })]);
    expect(c).toEqual([{ field: 'cro', values: [{ value: CRO, agencies: ['police'] }, { value: 'SF12/8N', agencies: ['prisons'] }] }]);
  });

  it('does not report one PNC written in two forms as a conflict', () => {
    const short = { raw: `${PNC.slice(2, 4)}/${Number(PNC.slice(5, 12))}${PNC.slice(-1)}`, value: PNC, valid: true };
    expect(conflicts([rec({ agency: 'police', localId: '1', pnc: pnc(PNC) }), rec({ agency: 'prisons', localId: 'A1', pnc: short })])).toEqual([]);
  });

  it('leaves a PNC that failed its check character to rejectedIdentifiers, not conflicts', () => {
    const bad = { raw: PNC.slice(0, -1) + (PNC.endsWith('Z') ? 'A' : 'Z'), value: null, valid: false };
    expect(conflicts([rec({ agency: 'police', localId: '1', pnc: pnc(PNC) }), rec({ agency: 'prisons', localId: 'A1', pnc: bad })])).toEqual([]);
  });

  it('shows a disagreement on sex with its sources, but not a record that does not know it', () => {
    const [police, prisons, courts] = [rec({ agency: 'police', localId: '1' }), rec({ agency: 'prisons', localId: 'A1', sex: 'FEMALE' }), rec({ agency: 'courts', localId: '2', sex: 'NOT_KNOWN' })];
    expect(conflicts([police, prisons, courts])).toEqual([{ field: 'sex', values: [{ value: 'MALE', agencies: ['police'] }, { value: 'FEMALE', agencies: ['prisons'] }] }]);
    expect(conflicts([police, courts])).toEqual([]);
  });

  it('does not report names that differ only in case or punctuation', () => {
    expect(conflicts([rec({ agency: 'police', localId: '1', name: personName(['JOHN'], "O'BRIEN") }), rec({ agency: 'courts', localId: '2', name: personName(['John'], 'OBrien') })])).toEqual([]);
  });
});

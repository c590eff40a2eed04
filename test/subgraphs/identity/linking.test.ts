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

describe('candidate grades (the match model with the reviewed weights)', () => {
  const person = [rec({ agency: 'police', localId: '1', pnc: pnc(PNC) })];

  it('offers a record with the same name and date of birth but no identifier as PROBABLE, never CERTAIN', () => {
    const g = gradeCandidate(person, rec({ agency: 'probation', localId: 'X1' }));
    expect(g).toMatchObject({ grade: 'PROBABLE', basis: 'MATCH_WEIGHT' });
    expect(g!.reason).toMatch(/surname the same .*forename the same|forename the same .*surname the same/);
  });
  it('offers a known forename variant as PROBABLE', () => {
    const p = [rec({ agency: 'police', localId: '1', name: personName(['William'], 'Jones') })];
    const g = gradeCandidate(p, rec({ agency: 'probation', localId: 'X1', name: personName(['Bill'], 'JONES') }));
    expect(g).toMatchObject({ grade: 'PROBABLE' });
    expect(g!.reason).toContain('forename a known variant');
  });
  it('finds a one-letter surname typo, which an exact comparison missed', () => {
    const g = gradeCandidate(person, rec({ agency: 'probation', localId: 'X1', name: personName(['John'], 'Smiht') }));
    expect(g?.grade).toBe('PROBABLE');
    expect(g!.reason).toMatch(/surname (one letter apart|sounds the same)/);
  });
  it('finds a record keyed with forename and surname the other way round, and says so', () => {
    const g = gradeCandidate(person, rec({ agency: 'probation', localId: 'X1', name: personName(['Smith'], 'John') }));
    expect(g).not.toBeNull();
    expect(g!.reason).toContain('forename and surname read the other way round');
  });
  it('offers a day-month transposed date of birth, saying so', () => {
    const g = gradeCandidate(person, rec({ agency: 'probation', localId: 'X1', dateOfBirth: '1980-01-02' }));
    expect(g).not.toBeNull();
    expect(g!.reason).toContain('date of birth day and month swapped');
  });
  it('does not offer a different forename with only the surname and date of birth in common', () => {
    expect(gradeCandidate(person, rec({ agency: 'probation', localId: 'X1', name: personName(['Peter'], 'Smith') }))).toBeNull();
  });
  it('never offers a record whose own valid PNC contradicts the person', () => {
    expect(gradeCandidate(person, rec({ agency: 'probation', localId: 'X1', pnc: pnc(OTHER_PNC) }))).toBeNull();
  });
  it('never offers a record with another surname, forename and date of birth', () => {
    expect(gradeCandidate(person, rec({ agency: 'probation', localId: 'X1', name: personName(['Peter'], 'Jones'), dateOfBirth: '1975-06-30' }))).toBeNull();
  });
  it('does not say a forename matched when neither record has one', () => {
    const p = [rec({ agency: 'police', localId: '1', name: personName([], 'Smith') })];
    const g = gradeCandidate(p, rec({ agency: 'probation', localId: 'X1', name: personName([], 'Smith') }));
    const reason = g?.reason ?? '';
    expect(reason).not.toMatch(/forename the same|name matched/);
    if (g) expect(reason).toMatch(/not compared \(missing\): .*forename/);
  });
  it('matches a record whose date of birth was impossible on the rest, comparing the year it could read', () => {
    const bad = rec({ agency: 'probation', localId: 'X1', dateOfBirth: null, dataQuality: [{ field: 'dateOfBirth', recorded: '19800094', problem: 'impossible' }] });
    const g = gradeCandidate([rec({ agency: 'police', localId: '1', name: personName(['John', 'Paul'], 'Smith') })], { ...bad, name: personName(['John', 'Paul'], 'Smith') });
    expect(g?.reason ?? '').toContain('date of birth the same year (only a year legible)');
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

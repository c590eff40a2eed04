// The prosecution service's disclosure table, read as a reviewer would: prosecutors see case files,
// charging decisions and review for prosecution; the witness care unit sees the victims and witnesses it
// keeps informed, for victim contact; the investigating police learn the charging decision under the
// charging agreement and nothing else; every other role sees nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy, ROLES, type Role } from '../../schema/policy/index.js';
import { cellFor, currentMatrix, type MatrixRow } from '../../schema/policy/matrix.js';

const ROLE_NAMES = Object.keys(ROLES) as Role[];
const OTHERS = ROLE_NAMES.filter((r) => !['CPS_PROSECUTOR', 'WITNESS_CARE_OFFICER', 'POLICE_OFFICER'].includes(r));
let rows: MatrixRow[];
beforeAll(async () => { rows = (await currentMatrix()).subgraphs.find((s) => s.subgraph === 'prosecution')!.rows; });
const row = (coordinate: string) => rows.find((r) => r.coordinate === coordinate)!;

describe('prosecution disclosure table', () => {
  it('is owned by the prosecution service and has an entry for every field of the schema', () => {
    expect(loadPolicy().get('prosecution')!.owner).toBe('CPS');
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      expect(r.entry, r.coordinate).toBeDefined();
      expect(r.inSchema, r.coordinate).toBe(true);
    }
  });

  it('shows prosecutors case files, charging decisions and review, for prosecution only', () => {
    for (const c of ['Person.prosecutionCases', 'Case.prosecution', 'Query.prosecutionCase', 'ProsecutionCaseFile.chargingDecision', 'ProsecutionCaseFile.review', 'ProsecutionCaseFile.defendants']) {
      expect(cellFor(row(c), 'CPS_PROSECUTOR'), c).toEqual({ kind: 'yes', lines: ['✔ PROSECUTION (own)'] });
    }
  });

  it('shows the witness care unit the contacts of a case for victim contact, and neither charging decisions nor review nor defendants', () => {
    for (const c of ['Query.prosecutionCase', 'Case.prosecution', 'ProsecutionCaseFile.urn', 'ProsecutionCaseFile.witnessCare']) {
      expect(cellFor(row(c), 'WITNESS_CARE_OFFICER'), c).toEqual({ kind: 'yes', lines: ['✔ VICTIM_CONTACT (own)'] });
    }
    for (const c of ['ProsecutionCaseFile.chargingDecision', 'ProsecutionCaseFile.review', 'ProsecutionCaseFile.defendants', 'Person.prosecutionCases']) {
      expect(cellFor(row(c), 'WITNESS_CARE_OFFICER').kind, c).toBe('no');
    }
  });

  it('shows every other role nothing: no field of the prosecution subgraph is granted to it', () => {
    const granted = rows.flatMap((r) => OTHERS.filter((role) => ['yes', 'cond'].includes(cellFor(r, role).kind)).map((role) => `${role} ${r.coordinate}`));
    expect(granted).toEqual([]);
    // Not vacuous: the prison officer and the victim liaison officer are among those checked.
    expect(OTHERS).toEqual(expect.arrayContaining(['PRISON_OFFICER', 'VICTIM_LIAISON_OFFICER', 'CUSTODY_OFFICER', 'INTELLIGENCE_ANALYST']));
  });

  it('tells the investigating police the charging decision under ISA-CPS-POLICE, for investigation, and nothing else of the file', () => {
    const seen = rows.filter((r) => ['yes', 'cond'].includes(cellFor(r, 'POLICE_OFFICER').kind)).map((r) => r.coordinate).sort();
    expect(seen).toEqual(['Person.id', 'Person.prosecutionCases', 'ProsecutionCaseFile.chargingDecision', 'ProsecutionCaseFile.id', 'ProsecutionCaseFile.provenance', 'ProsecutionCaseFile.urn']);
    expect(cellFor(row('ProsecutionCaseFile.chargingDecision'), 'POLICE_OFFICER').lines).toEqual(['✔ INVESTIGATION · ISA-CPS-POLICE']);
    const grants = [...loadPolicy().get('prosecution')!.entries.values()].flatMap((e) => (e.kind === 'GRANTS' ? e.grants : []));
    expect([...new Set(grants.map((g) => g.agreement).filter((a) => a !== null))]).toEqual(['ISA-CPS-POLICE']);
  });
});

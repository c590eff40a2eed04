// The disclosure matrix is what the security team signs off. These tests keep the checked-in rendering
// equal to the policy (so every policy change shows in review as a matrix diff) and check that the
// matrix says what the policy means, row by row, for a few rules a reviewer would look for first.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { policyVersion, ROLES, type Role } from '../../schema/policy/index.js';
import { SUBGRAPH_NAMES } from '../../subgraphs/index.js';
import { cellFor, currentMatrix, renderHtml, renderMarkdown, ROLE_ABBREVIATIONS, type Matrix, type MatrixRow } from '../../schema/policy/matrix.js';

const checkedIn = (name: string) => readFileSync(new URL(`../../schema/policy/${name}`, import.meta.url), 'utf8');
const ROLE_NAMES = Object.keys(ROLES) as Role[];

let matrix: Matrix;
beforeAll(async () => { matrix = await currentMatrix(); });

function row(subgraph: string, coordinate: string): MatrixRow {
  const r = matrix.subgraphs.find((s) => s.subgraph === subgraph)?.rows.find((x) => x.coordinate === coordinate);
  if (!r) throw new Error(`no row ${subgraph} ${coordinate}`);
  return r;
}

/** The Markdown cells of one row of one subgraph's table, by role: what a reviewer actually reads. */
function markdownCells(md: string, subgraph: string, coordinate: string): Record<string, string> {
  const section = md.split(`## Subgraph: ${subgraph}\n`)[1]!.split('\n## ')[0]!;
  const line = section.split('\n').find((l) => l.startsWith(`| \`${coordinate}\``));
  if (!line) throw new Error(`no Markdown row for ${coordinate}`);
  const cells = line.split(' | ').slice(1);
  cells[cells.length - 1] = cells[cells.length - 1]!.replace(/ \|$/, '');
  return Object.fromEntries(ROLE_NAMES.map((r, i) => [r, cells[i]!]));
}

describe('the checked-in disclosure matrix', () => {
  it('MATRIX.md equals a fresh render of the policy (run `npm run policy:matrix`)', () => {
    expect(checkedIn('MATRIX.md')).toBe(renderMarkdown(matrix));
  });

  it('matrix.html equals a fresh render of the policy (run `npm run policy:matrix`)', () => {
    expect(checkedIn('matrix.html')).toBe(renderHtml(matrix));
  });

  it('names the policy version it was rendered from', () => {
    expect(matrix.version).toBe(policyVersion());
    expect(checkedIn('MATRIX.md')).toContain(`Policy version \`${policyVersion()}\``);
    expect(checkedIn('matrix.html')).toContain(`<code>${policyVersion()}</code>`);
  });

  it('is deterministic: two renders are byte-identical and carry no timestamp', async () => {
    const again = await currentMatrix();
    expect(renderMarkdown(again)).toBe(renderMarkdown(matrix));
    expect(renderHtml(again)).toBe(renderHtml(matrix));
    expect(renderMarkdown(matrix)).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  it('is self-contained HTML: no scripts, no external stylesheets, images or fonts', () => {
    const html = renderHtml(matrix);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=/i);
    expect(html).toMatch(/^<!doctype html>/);
  });
});

describe('what the matrix says', () => {
  it('has a row for every field of every subgraph, with a Type.* entry expanded to its concrete fields', () => {
    // The registry is the one list: every registered subgraph has its table, in registry order.
    expect(matrix.subgraphs.map((s) => s.subgraph)).toEqual([...SUBGRAPH_NAMES]);
    expect(row('identity', 'Person.dateOfBirth').entryKey).toBe('Person.*');
    expect(row('prisons', 'CustodyPeriod.expectedReleaseDate').entryKey).toBe('CustodyPeriod.*');
    expect(row('prisons', 'CustodyPeriod.cellLocation').entryKey).toBe('CustodyPeriod.cellLocation'); // the exact entry wins
    for (const s of matrix.subgraphs) {
      for (const r of s.rows) {
        expect(r.coordinate, `${s.subgraph}: federation internals are not policy`).not.toMatch(/^(Query\._service|Query\._entities|_Service\.)/);
        expect(r.entry, `${s.subgraph} ${r.coordinate} has no entry`).toBeDefined();
        expect(r.inSchema, `${s.subgraph} ${r.coordinate} is not in the schema`).toBe(true);
      }
    }
  });

  it('shows that PROBATION_OFFICER has no entry for Person.intelligenceFlags', () => {
    expect(cellFor(row('police', 'Person.intelligenceFlags'), 'PROBATION_OFFICER')).toEqual({ kind: 'no', lines: ['—'] });
    const cells = markdownCells(checkedIn('MATRIX.md'), 'police', 'Person.intelligenceFlags');
    expect(cells.PROBATION_OFFICER).toBe('—');
    expect(cells.POLICE_OFFICER).toBe('✔ INVESTIGATION (own)');
  });

  it('shows Victim.address granted only to VICTIM_LIAISON_OFFICER, for their own victims', () => {
    const cells = markdownCells(checkedIn('MATRIX.md'), 'victims', 'Victim.address');
    for (const role of ROLE_NAMES) {
      if (role === 'VICTIM_LIAISON_OFFICER') expect(cells[role]).toBe('✔ VICTIM_CONTACT (own) · if OWN_VICTIM');
      else expect(cells[role], role).toBe('—');
    }
  });

  it('writes a conditional grant under an agreement as purposes · agreement · if condition', () => {
    expect(cellFor(row('police', 'Person.arrests'), 'PROBATION_OFFICER').lines).toEqual(['✔ OFFENDER_MANAGEMENT · ISA-POLICE-HMPPS · if ON_CASELOAD']);
    expect(markdownCells(checkedIn('MATRIX.md'), 'police', 'Person.arrests').CPS_PROSECUTOR).toBe('✔ PROSECUTION · ISA-POLICE-CPS');
  });

  it('expands `*` to the purposes the role may declare', () => {
    expect(cellFor(row('prisons', 'Person.prisonAlerts'), 'PRISON_OFFICER').lines).toEqual(['✔ CUSTODY_MANAGEMENT, SAFEGUARDING (own)']);
  });

  it('marks a value type\'s field as inherited, naming the field it comes with', () => {
    const r = row('probation', 'LicenceCondition.description');
    expect(cellFor(r, 'VICTIM_LIAISON_OFFICER')).toEqual({ kind: 'inherit', lines: ['inherits'] });
    expect(markdownCells(checkedIn('MATRIX.md'), 'probation', 'LicenceCondition.description').AUDITOR).toBe('inherits');
    expect(r.parents).toEqual(['Supervision.licenceConditions']);
  });

  it('lists every role with its column abbreviation, agency and purposes, and every agreement with its dates', () => {
    const md = checkedIn('MATRIX.md');
    for (const [role, def] of Object.entries(ROLES)) {
      expect(md).toContain(`| \`${ROLE_ABBREVIATIONS[role]}\` | \`${role}\` | ${def.agency} |`);
    }
    expect(new Set(Object.values(ROLE_ABBREVIATIONS)).size).toBe(ROLE_NAMES.length); // no two columns look alike
    expect(md).toContain('| `ISA-POLICE-HMPPS` | Police risk information to prisons and probation (MAPPA) | POLICE → PRISONS, PROBATION |');
    expect(md).toMatch(/\| `NOT_ON_CASELOAD` \| the person is not on the caller's caseload \|/);
  });
});

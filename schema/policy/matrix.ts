// The disclosure matrix: the policy rendered for sign-off by people who do not read code, as Markdown
// (MATRIX.md, reviewed in pull requests) and as one self-contained HTML page (no scripts, no external
// assets, so it can be mailed or printed as it is). Rows come from each subgraph's SDL, not from the
// tables alone, so a `Type.*` entry shows every field it actually discloses. Output is deterministic
// (no timestamps, stable order): the checked-in files change only when the policy or the schema does.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { getNamedType, isObjectType, parse } from 'graphql';
import { subgraphSdl } from '../../subgraphs/harness.js';
import { loadSubgraphs } from '../../subgraphs/index.js';
import type { SubgraphModule } from '../../subgraphs/types.js';
import { AGREEMENTS, CONDITIONS, PURPOSES, ROLE_GROUPS, ROLES, entryFor, loadPolicy, policyVersion, type FieldPolicy, type Grant, type Role, type SubgraphPolicy } from './index.js';
import type { Agreement } from './agreements.js';
import { CONDITION_FAILURE, CONDITION_IN_LISTS, REASONS, type InLists } from './vocabulary.js';
import { AGGREGATE_FIELDS, DISCLOSURE_CONTROL, type DisclosureControlRule } from './statistics.js';

const IN_LISTS_TEXT: Record<InLists, string> = { OMIT: 'left out (`OMIT`)', WITHHOLD: 'shown withheld (`WITHHOLD`)' };

export interface SchemaField { type: string; field: string; returns: string }

export interface MatrixRow {
  coordinate: string;
  /** The table key that decides the field (`Type.field` or `Type.*`); null when none does. */
  entryKey: string | null;
  entry: FieldPolicy | undefined;
  /** False for a table entry naming a field the schema does not have (a stale entry). */
  inSchema: boolean;
  /** Fields returning this row's type: what an INHERIT row inherits from. */
  parents: string[];
}

export interface SubgraphMatrix { subgraph: string; owner: string; rows: MatrixRow[] }
export interface Matrix { version: string; sharedTypes: string[]; subgraphs: SubgraphMatrix[] }

/** Short column headers, so ten role columns fit a page; a role missing here is shown in full. */
export const ROLE_ABBREVIATIONS: Record<string, string> = {
  POLICE_OFFICER: 'POL', CUSTODY_OFFICER: 'CUST', INTELLIGENCE_ANALYST: 'INTEL', CPS_PROSECUTOR: 'CPS',
  COURT_LISTING_OFFICER: 'LIST', PRISON_OFFICER: 'PRIS', PROBATION_OFFICER: 'PROB', VICTIM_LIAISON_OFFICER: 'VLO',
  PERFORMANCE_ANALYST: 'PERF', AUDITOR: 'AUD', WITNESS_CARE_OFFICER: 'WCU',
  POLICE_RECORDS_MANAGER: 'RM-POL', COURTS_RECORDS_MANAGER: 'RM-CRT', PRISONS_RECORDS_MANAGER: 'RM-PRIS', PROBATION_RECORDS_MANAGER: 'RM-PROB',
  VICTIMS_RECORDS_MANAGER: 'RM-VIC', DATA_QUALITY_OFFICER: 'DQ',
};
const ROLE_NAMES = Object.keys(ROLES) as Role[];
const abbr = (r: string) => ROLE_ABBREVIATIONS[r] ?? r;
const agreementOf = (id: string) => (AGREEMENTS as Record<string, Agreement>)[id];

// ---- the model ---------------------------------------------------------------------------------

/** Every object field of a subgraph's schema in SDL order, without federation's own plumbing. */
export function schemaFields(module: Pick<SubgraphModule, 'typeDefs'>): SchemaField[] {
  const schema = buildSubgraphSchema([{ typeDefs: parse(subgraphSdl(module)) }]);
  const out: SchemaField[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type.name === '_Service') continue;
    for (const f of Object.values(type.getFields())) {
      if (type.name === 'Query' && (f.name === '_service' || f.name === '_entities')) continue;
      out.push({ type: type.name, field: f.name, returns: getNamedType(f.type).name });
    }
  }
  return out;
}

/** One subgraph's rows: types in the order the table first names them, fields in SDL order. */
function subgraphRows(policy: SubgraphPolicy, fields: SchemaField[]): MatrixRow[] {
  const typeOrder: string[] = [];
  for (const key of policy.entries.keys()) {
    const type = key.slice(0, key.indexOf('.'));
    if (!typeOrder.includes(type)) typeOrder.push(type);
  }
  const parentsOf = (type: string) => fields.filter((f) => f.returns === type).map((f) => `${f.type}.${f.field}`);
  const rows: MatrixRow[] = [];
  for (const type of typeOrder) {
    const inSchema = fields.filter((f) => f.type === type);
    for (const f of inSchema) {
      const exact = `${type}.${f.field}`;
      const entryKey = policy.entries.has(exact) ? exact : policy.entries.has(`${type}.*`) ? `${type}.*` : null;
      rows.push({ coordinate: exact, entryKey, entry: entryFor(policy, type, f.field), inSchema: true, parents: parentsOf(type) });
    }
    // Entries the schema does not back: shown, so a reviewer sees stale lines rather than missing them.
    for (const [key, entry] of policy.entries) {
      if (!key.startsWith(`${type}.`)) continue;
      const field = key.slice(type.length + 1);
      const unused = field === '*' ? inSchema.length === 0 : !inSchema.some((f) => f.field === field);
      if (unused) rows.push({ coordinate: key, entryKey: key, entry, inSchema: false, parents: [] });
    }
  }
  return rows;
}

/**
 * The whole matrix. Types no table names in any subgraph (the shared value types of the common model,
 * such as PersonName) are listed once: they are always decided by the field that returned them. Any
 * other schema field without an entry gets a row, which the engine would refuse to start with.
 */
export function buildMatrix(policy: Map<string, SubgraphPolicy>, fields: Map<string, SchemaField[]>, version: string): Matrix {
  const named = new Set([...policy.values()].flatMap((p) => [...p.entries.keys()].map((k) => k.slice(0, k.indexOf('.')))));
  const sharedTypes = [...new Set([...fields.values()].flat().map((f) => f.type))].filter((t) => t !== 'Query' && !named.has(t));
  const subgraphs: SubgraphMatrix[] = [];
  const names = [...policy.keys(), ...[...fields.keys()].filter((n) => !policy.has(n))];
  for (const name of names) {
    const p: SubgraphPolicy = policy.get(name) ?? { subgraph: name, owner: '(no field table)', entries: new Map() };
    const f = fields.get(name) ?? [];
    const rows = subgraphRows(p, f);
    for (const x of f) {
      if (sharedTypes.includes(x.type) || rows.some((r) => r.coordinate === `${x.type}.${x.field}`)) continue;
      rows.push({ coordinate: `${x.type}.${x.field}`, entryKey: null, entry: undefined, inSchema: true, parents: [] });
    }
    subgraphs.push({ subgraph: name, owner: p.owner, rows });
  }
  return { version, sharedTypes, subgraphs };
}

/** The matrix of the policy as it stands: every registered subgraph's schema against its table. */
export async function currentMatrix(): Promise<Matrix> {
  const modules = await loadSubgraphs();
  return buildMatrix(loadPolicy(), new Map(modules.map((m) => [m.name, schemaFields(m)])), policyVersion());
}

/** The purposes for which a grant really discloses to `role`: `*` is the role's own, narrowed by the agreement. */
export function grantPurposes(g: Grant, role: Role): string[] {
  const declared = ROLES[role].purposes as readonly string[];
  const listed = g.purposes === '*' ? [...declared] : g.purposes.filter((p) => declared.includes(p));
  return g.agreement ? listed.filter((p) => (agreementOf(g.agreement!)?.purposes as readonly string[] ?? []).includes(p)) : listed;
}

/** One grant as a cell line, e.g. `✔ OFFENDER_MANAGEMENT · ISA-POLICE-HMPPS · if ON_CASELOAD`. */
export function describeGrant(g: Grant, role: Role): string {
  const purposes = grantPurposes(g, role).join(', ');
  const basis = g.agreement ? ` · ${g.agreement}` : ' (own)';
  const conditions = g.conditions.length ? ` · if ${g.conditions.join(' & ')}` : '';
  return `✔ ${purposes}${basis}${conditions}`;
}

export type CellKind = 'yes' | 'cond' | 'no' | 'inherit' | 'missing';
/** What a role's cell says for a row: its lines (alternatives) and a kind, for colour in HTML. */
export function cellFor(row: MatrixRow, role: Role): { kind: CellKind; lines: string[] } {
  if (!row.entry) return { kind: 'missing', lines: ['no entry'] };
  if (row.entry.kind === 'INHERIT') return { kind: 'inherit', lines: ['inherits'] };
  const grants = row.entry.grants.filter((g) => g.roles.includes(role));
  if (!grants.length) return { kind: 'no', lines: ['—'] };
  return { kind: grants.some((g) => !g.conditions.length) ? 'yes' : 'cond', lines: grants.map((g) => describeGrant(g, role)) };
}

// ---- one document, two renderings ----------------------------------------------------------------
// Text uses `backticks` for names; each renderer turns them into its own code markup.
type Cell = string | { lines: string[]; kind?: CellKind };
type Block =
  | { h: 1 | 2 | 3; text: string; id?: string }
  | { p: string }
  | { list: string[] }
  | { table: { head: string[]; rows: Cell[][]; matrix?: boolean } };

function rowLabel(r: MatrixRow): string {
  const notes: string[] = [];
  if (r.entryKey?.endsWith('.*') && r.inSchema && r.entry?.kind === 'GRANTS') notes.push(`by \`${r.entryKey}\``);
  if (r.entry?.kind === 'INHERIT' && r.parents.length) notes.push(`shown with ${r.parents.map((p) => `\`${p}\``).join(', ')}`);
  if (!r.inSchema) notes.push('not in the schema: an unused entry');
  if (!r.entry) notes.push('no entry: withheld from everyone, and the subgraph will not start');
  return [`\`${r.coordinate}\``, ...notes.map((n) => `(${n})`)].join(' ');
}

function ownerText(owner: string): string {
  if (owner === 'ALL') return 'Shared identity, held jointly by every agency.';
  return `Data owned by ${owner}: \`own\` grants are for ${owner} staff; everyone else needs an agreement.`;
}

export function matrixDocument(m: Matrix): Block[] {
  const doc: Block[] = [
    { h: 1, text: 'Disclosure policy matrix' },
    { p: `Policy version \`${m.version}\`. Generated by \`npm run policy:matrix\` from \`schema/policy/\` (the vocabulary, the information-sharing agreements and one field table per subgraph) and the subgraph schemas. Do not edit by hand: change the policy, re-run, and review the difference.` },
    { h: 2, text: 'How to read this', id: 'how-to-read' },
    { list: [
      'Nothing is shown unless a line below allows it: every field of every subgraph is withheld by default.',
      'Each subgraph has one table. A row is one field (`Type.field`); a column is one role (the abbreviations are in the roles table). A person holding several roles gets whatever any of them allows.',
      '`✔ PURPOSES (own)`: the role may see the field, for those declared purposes, as staff of the agency that owns the data.',
      '`✔ PURPOSES · AGREEMENT`: the role may see the field for those purposes under that information-sharing agreement, only between its start and end dates.',
      '`· if CONDITION`: only for records that meet the condition (see record conditions); `&` means all of them.',
      'Several lines in one cell are alternatives: the first that holds discloses the field.',
      '`—`: this role never sees the field (reason `NOT_PERMITTED`).',
      '`inherits`: part of a larger value; it is shown exactly when the field named in its row (the one that returned it) is shown.',
      `Shared value types of the common model, always shown with the field that returned them: ${m.sharedTypes.map((t) => `\`${t}\``).join(', ')}.`,
    ] },
    { h: 2, text: 'Roles', id: 'roles' },
    { table: { head: ['Column', 'Role', 'Agency', 'Description', 'May declare'], rows: ROLE_NAMES.map((r) => [`\`${abbr(r)}\``, `\`${r}\``, ROLES[r].agency, ROLES[r].description, ROLES[r].purposes.map((p) => `\`${p}\``).join(', ')]) } },
    { p: `Role groups used in the field tables: ${Object.entries(ROLE_GROUPS).map(([g, rs]) => `\`${g}\` = ${rs.map((r) => `\`${r}\``).join(', ')}`).join('; ')}. A caller's role only counts if the token's agency is the role's agency.` },
    { h: 2, text: 'Purposes', id: 'purposes' },
    { p: 'Every request declares one purpose; a role may only declare the purposes listed against it above.' },
    { table: { head: ['Purpose', 'Meaning'], rows: Object.entries(PURPOSES).map(([p, d]) => [`\`${p}\``, d]) } },
    { h: 2, text: 'Information-sharing agreements', id: 'agreements' },
    { p: 'Dates are inclusive, in UTC. Outside them the agreement\'s grants give `AGREEMENT_NOT_STARTED` or `AGREEMENT_EXPIRED`. Owner `ALL` means every agency.' },
    { table: { head: ['Agreement', 'Name', 'Owner → receivers', 'Purposes', 'Starts', 'Ends', 'Legal basis'], rows: Object.entries(AGREEMENTS as Record<string, Agreement>).map(([id, a]) => [
      `\`${id}\``, a.name, `${a.owner} → ${a.receivers.join(', ')}`, a.purposes.map((p) => `\`${p}\``).join(', '), a.starts, a.ends, a.basis]) } },
    { h: 2, text: 'Record conditions', id: 'conditions' },
    { table: { head: ['Condition', 'Holds when', 'Otherwise', 'In a list'], rows: Object.entries(CONDITIONS).map(([c, d]) => [`\`${c}\``, d, `\`${CONDITION_FAILURE[c as keyof typeof CONDITIONS]}\``, IN_LISTS_TEXT[CONDITION_IN_LISTS[c as keyof typeof CONDITIONS]]]) } },
    { p: 'In a list, an item whose every field the caller is refused, because it fails a condition marked `OMIT`, is left out: no null item, no error, nothing to count. One marked `WITHHOLD` stays in place with its fields withheld. The audit trail records the item as withheld either way.' },
    { p: 'When the gateway could not ask the system a condition depends on (the caseload, the victims), the field is reported as unavailable (`SOURCE_UNAVAILABLE`), not withheld.' },
    { h: 2, text: 'Reason codes', id: 'reasons' },
    { p: 'What a withheld field says, and what the audit trail records.' },
    { table: { head: ['Reason', 'Meaning'], rows: Object.entries(REASONS).map(([r, d]) => [`\`${r}\``, d]) } },
    { h: 2, text: 'Statistical disclosure control', id: 'disclosure-control' },
    { p: 'Aggregate fields return counts about people. Whoever the policy lets ask, the subgraph that counts applies the rule named here before anything leaves it (`platform/sdc.ts`): a suppressed count is `null` with `suppressed: true` and its reason (`SMALL_CELL`, or `COMPLEMENTARY` when suppressed so that a small one cannot be worked out from the totals), never `0`.' },
    { table: { head: ['Rule', 'Suppressed when under', 'Shown counts rounded to', 'Secondary suppression', 'Meaning'], rows: Object.entries(DISCLOSURE_CONTROL as Record<string, DisclosureControlRule>).map(([id, r]) => [
      `\`${id}\``, String(r.threshold), r.roundTo === 1 ? 'not rounded' : String(r.roundTo), `\`${r.secondary}\``, r.description]) } },
    { table: { head: ['Subgraph', 'Field', 'Rule'], rows: Object.entries(AGGREGATE_FIELDS).flatMap(([sg, fields]) => Object.entries(fields).map(([f, id]) => [sg, `\`${f}\``, `\`${id}\``])) } },
  ];
  const legend = ROLE_NAMES.map((r) => `\`${abbr(r)}\` ${r}`).join(' · ');
  for (const s of m.subgraphs) {
    doc.push({ h: 2, text: `Subgraph: ${s.subgraph}`, id: `subgraph-${s.subgraph}` });
    doc.push({ p: `${ownerText(s.owner)} Columns: ${legend}.` });
    doc.push({ table: { matrix: true, head: ['Field', ...ROLE_NAMES.map(abbr)], rows: s.rows.map((r) => [rowLabel(r), ...ROLE_NAMES.map((role) => cellFor(r, role))]) } });
  }
  return doc;
}

// ---- Markdown --------------------------------------------------------------------------------------
const mdCell = (c: Cell) => (typeof c === 'string' ? [c] : c.lines).join('<br>').replace(/\|/g, '\\|');

export function renderMarkdown(m: Matrix): string {
  const out: string[] = [];
  for (const b of matrixDocument(m)) {
    if ('h' in b) out.push(`${'#'.repeat(b.h)} ${b.text}`);
    else if ('p' in b) out.push(b.p);
    else if ('list' in b) out.push(b.list.map((l) => `- ${l}`).join('\n'));
    else {
      const { head, rows } = b.table;
      out.push([`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n'));
    }
  }
  return out.join('\n\n') + '\n';
}

// ---- HTML ------------------------------------------------------------------------------------------
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Escapes first, then turns `names` into <code>: no policy text can inject markup. */
const inline = (s: string) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;margin:2rem;max-width:110rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:2px solid #1b1b1b}
code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#f1f1f1;padding:0 .2em}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:13px}
th,td{border:1px solid #b1b4b6;padding:.3rem .45rem;vertical-align:top;text-align:left}
th{background:#e9eaeb;position:sticky;top:0}
table.matrix td:not(:first-child){min-width:7rem;font-size:12px}
td.yes{background:#d7f0dc}td.cond{background:#fff3c4}td.no{color:#6f777b;text-align:center}
td.inherit{background:#eaf1fb;color:#3d4f6a}td.missing{background:#f6d7d2}
nav ul{columns:2}
@media print{body{margin:0}th{position:static}h2{break-before:page}}
`.trim();

export function renderHtml(m: Matrix): string {
  const doc = matrixDocument(m);
  const body: string[] = [];
  const toc = doc.filter((b): b is Extract<Block, { h: number }> => 'h' in b && b.h === 2 && !!b.id);
  for (const b of doc) {
    if ('h' in b) {
      body.push(`<h${b.h}${b.id ? ` id="${esc(b.id)}"` : ''}>${inline(b.text)}</h${b.h}>`);
      if (b.h === 1) body.push(`<nav><ul>${toc.map((t) => `<li><a href="#${esc(t.id!)}">${inline(t.text)}</a></li>`).join('')}</ul></nav>`);
    } else if ('p' in b) body.push(`<p>${inline(b.p)}</p>`);
    else if ('list' in b) body.push(`<ul>\n${b.list.map((l) => `<li>${inline(l)}</li>`).join('\n')}\n</ul>`);
    else {
      const { head, rows, matrix } = b.table;
      const cell = (c: Cell) => typeof c === 'string' ? `<td>${inline(c)}</td>` : `<td class="${c.kind ?? ''}">${c.lines.map(inline).join('<br>')}</td>`;
      body.push([`<table${matrix ? ' class="matrix"' : ''}>`, `<thead><tr>${head.map((h) => `<th>${inline(h)}</th>`).join('')}</tr></thead>`, '<tbody>',
        ...rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`), '</tbody>', '</table>'].join('\n'));
    }
  }
  return [
    '<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    `<title>Disclosure policy matrix ${esc(m.version)}</title>`, `<style>\n${CSS}\n</style>`, '</head>', '<body>', ...body, '</body>', '</html>', '',
  ].join('\n');
}

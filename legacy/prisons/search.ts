// The Prisoner Search stand-in's query side: attribute-search queries (String, Date and PNC matchers
// joined with AND / OR and sub-queries) and possible-matches, evaluated over rendered Prisoner records.
// Name terms compare like the search index's analyser: case, accents and punctuation ignored.
import { indexedName as nameKey } from '../names.js';
import { pncForms, type RenderedPrisoner } from './render.js';

export class BadQuery extends Error {}

interface Query {
  joinType?: string;
  matchers?: Record<string, unknown>[];
  subQueries?: Query[];
}

const NAME_ATTRIBUTES = new Set(['firstName', 'lastName', 'middleNames', 'aliases.firstName', 'aliases.lastName']);
const DATE_ATTRIBUTES = new Set(['dateOfBirth', 'receptionDate', 'releaseDate', 'conditionalReleaseDate', 'sentenceExpiryDate', 'aliases.dateOfBirth']);

/** The values of a (possibly dotted, list-valued) attribute of a prisoner. */
function values(p: RenderedPrisoner, attribute: string): string[] {
  const [head, tail] = attribute.split('.', 2);
  const v = (p as unknown as Record<string, unknown>)[head];
  if (tail !== undefined) return Array.isArray(v) ? v.map((x) => (x as Record<string, unknown>)[tail]).filter((x): x is string => typeof x === 'string') : [];
  return typeof v === 'string' ? [v] : typeof v === 'number' || typeof v === 'boolean' ? [String(v)] : [];
}

function stringMatch(p: RenderedPrisoner, m: Record<string, unknown>): boolean {
  const attribute = String(m.attribute ?? '');
  const term = String(m.searchTerm ?? '');
  if (!attribute || !term) throw new BadQuery('String matcher needs attribute and searchTerm');
  const norm = NAME_ATTRIBUTES.has(attribute) ? nameKey : (s: string) => s.trim().toUpperCase();
  const have = values(p, attribute).map(norm);
  switch (m.condition) {
    case 'IS': return have.includes(norm(term));
    case 'IS_NOT': return !have.includes(norm(term));
    case 'CONTAINS': return have.some((h) => h.includes(norm(term)));
    case 'STARTSWITH': return have.some((h) => h.startsWith(norm(term)));
    case 'IN': return term.split(',').map(norm).some((t) => have.includes(t));
    default: throw new BadQuery(`Unknown condition ${String(m.condition)}`);
  }
}

function dateMatch(p: RenderedPrisoner, m: Record<string, unknown>): boolean {
  const attribute = String(m.attribute ?? '');
  if (!DATE_ATTRIBUTES.has(attribute)) throw new BadQuery(`Attribute ${attribute} is not a date attribute`);
  const min = typeof m.minValue === 'string' ? m.minValue : null;
  const max = typeof m.maxValue === 'string' ? m.maxValue : null;
  if (!min && !max) throw new BadQuery('Date matcher needs minValue or maxValue');
  return values(p, attribute).some((v) =>
    (!min || (m.minInclusive === false ? v > min : v >= min)) && (!max || (m.maxInclusive === false ? v < max : v <= max)));
}

/** Prisoner Search matches a PNC in any of its forms (2- or 4-digit year, with or without leading zeros). */
export function pncMatch(p: RenderedPrisoner, pncNumber: unknown): boolean {
  const wanted = pncForms(typeof pncNumber === 'string' ? pncNumber : null);
  if (!wanted) return false;
  return p.pncNumberCanonicalLong === wanted.long || p.pncNumberCanonicalShort === wanted.short;
}

function matcher(p: RenderedPrisoner, m: Record<string, unknown>): boolean {
  switch (m.type) {
    case 'String': return stringMatch(p, m);
    case 'Date': return dateMatch(p, m);
    case 'PNC': return pncMatch(p, m.pncNumber);
    default: throw new BadQuery(`Unsupported matcher type ${String(m.type)}`);
  }
}

function evaluate(p: RenderedPrisoner, q: Query): boolean {
  const results = [...(q.matchers ?? []).map((m) => matcher(p, m)), ...(q.subQueries ?? []).map((s) => evaluate(p, s))];
  if (results.length === 0) return true;
  return q.joinType === 'OR' ? results.some(Boolean) : results.every(Boolean);
}

/** POST /attribute-search: a Spring page of the matching prisoners, ordered by prisoner number. */
export function attributeSearch(all: readonly RenderedPrisoner[], body: unknown) {
  const req = body as { joinType?: string; queries?: Query[]; pagination?: { page?: number; size?: number } };
  if (!req || !Array.isArray(req.queries) || req.queries.length === 0) throw new BadQuery('queries must not be empty');
  const page = Math.max(0, Number(req.pagination?.page ?? 0));
  const size = Math.min(3000, Math.max(1, Number(req.pagination?.size ?? 10)));
  const root: Query = { joinType: req.joinType, subQueries: req.queries };
  const hits = all.filter((p) => evaluate(p, root));
  const content = hits.slice(page * size, page * size + size);
  const totalPages = Math.ceil(hits.length / size);
  return {
    totalElements: hits.length, totalPages, size, number: page, numberOfElements: content.length, content,
    first: page === 0, last: page >= totalPages - 1, empty: content.length === 0,
    sort: { empty: true, sorted: false, unsorted: true }, pageable: { pageNumber: page, pageSize: size, offset: page * size, paged: true, unpaged: false },
  };
}

/** POST /prisoner-search/possible-matches: by prison number, then PNC, then surname + date of birth (aliases too). */
export function possibleMatches(all: readonly RenderedPrisoner[], byNumber: ReadonlyMap<string, RenderedPrisoner>, body: unknown): RenderedPrisoner[] {
  const c = (body ?? {}) as { nomsNumber?: string; pncNumber?: string; lastName?: string; firstName?: string; dateOfBirth?: string };
  if (!c.nomsNumber && !c.pncNumber && !(c.lastName && c.dateOfBirth)) throw new BadQuery('Invalid search  - please provide at least 1 search parameter');
  const out = new Map<string, RenderedPrisoner>();
  const hit = byNumber.get(String(c.nomsNumber ?? '').toUpperCase());
  if (hit) out.set(hit.prisonerNumber, hit);
  if (c.pncNumber) for (const p of all) if (pncMatch(p, c.pncNumber)) out.set(p.prisonerNumber, p);
  if (c.lastName && c.dateOfBirth) {
    const surname = nameKey(c.lastName);
    for (const p of all) {
      const names = [{ lastName: p.lastName, dateOfBirth: p.dateOfBirth }, ...p.aliases];
      if (names.some((n) => nameKey(n.lastName) === surname && n.dateOfBirth === c.dateOfBirth)) out.set(p.prisonerNumber, p);
    }
  }
  return [...out.values()];
}

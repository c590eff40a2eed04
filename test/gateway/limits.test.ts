// The query limits as a table: what the defaults admit (the README query, a worklist of 100 people) and
// what they refuse, measured against the graph's API schema without running anything.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { admitOperation, bracketDepthExceeds, DEFAULT_LIMITS, QueryRefused } from '../../gateway/limits.js';
import { readmeBlock } from '../helpers/legacy-calls.js';
import { apiSchemaFromSupergraph } from '../policy/query-arbitrary.js';

const schema = apiSchemaFromSupergraph();
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const example = /<!-- example-query -->\s*```graphql\n([\s\S]*?)```/.exec(readme)![1];
const selection = example.slice(example.indexOf('{', example.indexOf('personByIdentifier')), example.lastIndexOf('}', example.lastIndexOf('}') - 1) + 1);
const admit = (query: string, variables: Record<string, unknown> = {}, limits = DEFAULT_LIMITS) => admitOperation(schema, { query, variables }, limits);
const refusal = (f: () => unknown) => { try { f(); return null; } catch (e) { return e instanceof QueryRefused ? e.code : e; } };

describe('the query limits', () => {
  it('admit the README\'s worklist queries, at a cost that follows the page size', () => {
    for (const name of ['caseload-query', 'victims-query']) {
      const q = readmeBlock(name);
      const small = admit(q, { since: '2026-01-01', first: 1 }).cost;
      const full = admit(q, { since: '2026-01-01', first: 50 }).cost;
      expect(full, name).toBeLessThanOrEqual(DEFAULT_LIMITS.maxCost);
      expect(full / small, name).toBeGreaterThan(40);
    }
  });

  it('admit the README example, at a cost of a few hundred', () => {
    expect(admit(example, { pnc: '2018/0100006A' }).cost).toBeGreaterThan(100);
    expect(admit(example, { pnc: '2018/0100006A' }).cost).toBeLessThan(1000);
  });

  it('admit a worklist of 100 people with the README selection (as npm run bench sends it)', () => {
    const worklist = `query { ${Array.from({ length: 100 }, (_, i) => `p${i}: personByIdentifier(type: PNC, value: "2018/01${String(i).padStart(5, '0')}A") ${selection}`).join('\n')} }`;
    expect(Buffer.byteLength(JSON.stringify({ query: worklist }))).toBeLessThan(DEFAULT_LIMITS.maxBodyBytes);
    const r = admit(worklist);
    expect(r.cost).toBeLessThanOrEqual(DEFAULT_LIMITS.maxCost);
    expect(r.subjectKeys).toHaveLength(100);
  });

  it('multiply a list by the length of its list argument or its first argument, else by the assumed size', () => {
    const one = admit('{ personByIdentifier(type: PNC, value: "x") { candidates { person { id } } } }').cost;
    expect(one).toBe(1 + DEFAULT_LIMITS.assumedListSize * 2);
    const page = admit('{ auditActivityOfUser(subject: "u", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", first: 2) { records { requestId } } }').cost;
    const bigger = admit('{ auditActivityOfUser(subject: "u", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", first: 40) { records { requestId } } }').cost;
    expect(bigger - 1).toBe((page - 1) * 20);
  });

  it('count each looked-up subject once, without paging arguments, case and spacing aside', () => {
    const keys = admit('{ a: personByIdentifier(type: PNC, value: "2018/1A") { id } b: personByIdentifier(type: PNC, value: " 2018/1a ") { id } c: case(urn: "01AB2345678") { urn } }').subjectKeys;
    expect(keys).toHaveLength(2);
    const paged = (first: number) => admit(`{ auditActivityOfUser(subject: "u", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", first: ${first}) { records { requestId } } }`).subjectKeys;
    expect(paged(10)).toEqual(paged(20));
  });

  it.each([
    ['depth', `{ personByIdentifier(type: PNC, value: "x") { ${'candidates { person { '.repeat(5)}id${' } }'.repeat(5)} } }`, 'QUERY_TOO_DEEP'],
    ['aliases', `{ ${Array.from({ length: 101 }, (_, i) => `a${i}: person(id: "P1:police=${i}") { id }`).join(' ')} }`, 'TOO_MANY_ALIASES'],
    ['directives', `{ personByIdentifier(type: PNC, value: "x") { ${'id @skip(if: false) '.repeat(51)} } }`, 'TOO_MANY_DIRECTIVES'],
    ['tokens', `{ ${'__typename '.repeat(DEFAULT_LIMITS.maxTokens + 1)} }`, 'TOO_MANY_TOKENS'],
    ['string argument', `{ searchPeople(surname: "${'S'.repeat(257)}") { person { id } } }`, 'STRING_ARGUMENT_TOO_LONG'],
    ['cost', `{ ${Array.from({ length: 30 }, (_, i) => `s${i}: searchPeople(surname: "S${i}") { person { candidates { person { cases { hearings { date } charges { offence { code } } } } } } }`).join(' ')} }`, 'QUERY_TOO_COMPLEX'],
  ])('refuse a query over the %s limit with its code', (_limit, query, code) => {
    expect(refusal(() => admit(query))).toBe(code);
  });

  it('find nesting by brackets outside strings and comments, before parsing', () => {
    expect(bracketDepthExceeds('{ a(s: "{{{{{{{{{{") # {{{{{{{{{{\n { b } }', 5)).toBe(false);
    expect(bracketDepthExceeds('{ a(s: """{{{{{{{{{{ \\""" {{{{""") }', 5)).toBe(false);
    expect(bracketDepthExceeds('{a'.repeat(6), 5)).toBe(true);
  });
});

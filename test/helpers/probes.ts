// The abusive requests of the bad-input battery, shared by the battery test and the CPU measurement
// (npm run bench:edge), so that both speak of the same probes.

export const aliases = (n: number, field: (i: number) => string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field(i)}`).join(' ')} }`;
export const nested = (levels: number) => `query($p: String!) { personByIdentifier(type: PNC, value: $p) { ${'candidates { person { '.repeat(levels)}id${' } }'.repeat(levels)} } }`;

export interface Probe {
  name: string;
  /** The request body: an object sent as JSON, or a string sent as it is. */
  body: (pnc: string) => object | string;
  status: number;
  code: string;
}

/** Probes refused at the gateway by a query limit (in the order the issue lists them). */
export const QUERY_PROBES: Probe[] = [
  { name: '1,000 aliases', body: () => ({ query: aliases(1000, () => 'person(id: "P1:police=1") { id }') }), status: 400, code: 'TOO_MANY_ALIASES' },
  { name: '200 aliases with different PNCs', body: () => ({ query: aliases(200, (i) => `personByIdentifier(type: PNC, value: "2018/01${String(i).padStart(5, '0')}A") { id }`) }), status: 400, code: 'TOO_MANY_ALIASES' },
  { name: '24 levels of candidates { person { ... } }', body: (p) => ({ query: nested(24), variables: { p } }), status: 400, code: 'QUERY_TOO_DEEP' },
  { name: '80 levels of candidates { person { ... } }', body: (p) => ({ query: nested(80), variables: { p } }), status: 400, code: 'QUERY_TOO_DEEP' },
  {
    name: 'fragments that multiply nested lists',
    body: (p) => ({
      query: `query($p: String!) { personByIdentifier(type: PNC, value: $p) { ...F1 } }
${[1, 2, 3, 4].map((k) => `fragment F${k} on Person { ${Array.from({ length: 5 }, () => `candidates { person { ${k < 4 ? `...F${k + 1}` : 'id'} } }`).join(' ')} }`).join('\n')}`,
      variables: { p },
    }),
    status: 400, code: 'QUERY_TOO_COMPLEX',
  },
  { name: '60 @include directives', body: (p) => ({ query: `query($p: String!) { personByIdentifier(type: PNC, value: $p) { ${Array.from({ length: 60 }, () => 'id @include(if: true)').join(' ')} } }`, variables: { p } }), status: 400, code: 'TOO_MANY_DIRECTIVES' },
  { name: '10,000 @include directives (crosses the body limit first)', body: (p) => ({ query: `query($p: String!) { personByIdentifier(type: PNC, value: $p) { ${Array.from({ length: 10_000 }, () => 'id @include(if: true)').join(' ')} } }`, variables: { p } }), status: 413, code: 'REQUEST_TOO_LARGE' },
  // 50,000 one-character tokens (a default value of 25,000 empty lists): 50 KB, under the body limit.
  { name: '50,000 tokens', body: () => ({ query: `query($v: [[Int]] = [${'[]'.repeat(25_000)}]) { __typename }` }), status: 400, code: 'TOO_MANY_TOKENS' },
  { name: '25,000 nested selection sets (before the parser can recurse into them)', body: () => ({ query: '{a'.repeat(25_000) }), status: 400, code: 'QUERY_TOO_DEEP' },
  { name: '990 KB body', body: () => JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(990 * 1024) } }), status: 413, code: 'REQUEST_TOO_LARGE' },
  { name: '900 KB surname', body: () => ({ query: 'query($s: String!) { searchPeople(surname: $s) { person { id } } }', variables: { s: 'A'.repeat(900 * 1024) } }), status: 413, code: 'REQUEST_TOO_LARGE' },
  { name: '1,000-character surname', body: () => ({ query: 'query($s: String!) { searchPeople(surname: $s) { person { id } } }', variables: { s: 'A'.repeat(1000) } }), status: 400, code: 'STRING_ARGUMENT_TOO_LONG' },
  { name: '101-item list variable', body: (p) => ({ query: 'query($p: String!) { personByIdentifier(type: PNC, value: $p) { id } }', variables: { p, ids: Array.from({ length: 101 }, (_, i) => `P${i}`) } }), status: 400, code: 'LIST_ARGUMENT_TOO_LONG' },
  { name: '5,000-deep nested variables', body: () => `{"query":"query($p: String!) { personByIdentifier(type: PNC, value: $p) { id } }","variables":{"p":${'['.repeat(5000)}${']'.repeat(5000)}}}`, status: 400, code: 'VARIABLES_TOO_DEEP' },
  { name: 'APQ registration', body: (p) => ({ query: 'query($p: String!) { personByIdentifier(type: PNC, value: $p) { id } }', variables: { p }, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }), status: 400, code: 'PERSISTED_QUERY_NOT_SUPPORTED' },
  { name: 'APQ by hash', body: (p) => ({ variables: { p }, extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }), status: 400, code: 'PERSISTED_QUERY_NOT_SUPPORTED' },
  { name: 'introspection (production)', body: () => ({ query: '{ __schema { types { name } } }' }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'misspelt field (production: no suggestion)', body: () => ({ query: '{ personByIdentifer(type: PNC, value: "x") { id } }' }), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
];

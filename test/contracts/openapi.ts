// Contract checking for the adapters: the OpenAPI documents in reference/openapi/, loaded with a
// maintained validator (openapi-backend, ajv underneath), and a recorder that captures every request an
// adapter makes (and the stand-in's answer) by wrapping global fetch, which is what the adapters call.
import ajvFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { OpenAPIBackend, type Operation } from 'openapi-backend';

export interface Contract {
  /** The file in reference/openapi/, e.g. `ndelius.json`. */
  file: string;
  api: OpenAPIBackend;
  /** The same document with nullable types made non-null, for generating answers (see nonNullable). */
  mocks: OpenAPIBackend;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const cache = new Map<string, Promise<Contract>>();

/**
 * Formats (date, uuid, date-time…) are checked too: ajv knows none until they are added. HMPPS services
 * write a `date-time` as Java's LocalDateTime, without an offset (`2024-01-01T10:00:00`); that is what the
 * real services send, so an offset is optional here and everything else about the format is checked.
 */
function withFormats<A>(ajv: A): A {
  (ajvFormats as unknown as { default: (a: A) => void }).default(ajv);
  (ajv as unknown as { addFormat(name: string, re: RegExp): void }).addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/);
  return ajv;
}

/** One OpenAPI document from reference/openapi/, ready to match and validate requests and responses. */
export function contract(file: string): Promise<Contract> {
  let c = cache.get(file);
  if (!c) {
    const text = readFileSync(new URL(`../../reference/openapi/${file}`, import.meta.url), 'utf8');
    const definition = jsonAnswers(applyDiscriminators(JSON.parse(text)));
    // The upstream documents are OpenAPI 3.1, which openapi-backend's document check (3.0) rejects; `quick`
    // skips that check only: requests and responses are still validated against each operation's schemas.
    const api = new OpenAPIBackend({ definition, quick: true, validate: true, ajvOpts: { strict: false }, customizeAjv: withFormats });
    const mocks = new OpenAPIBackend({ definition: nonNullable(jsonAnswers(applyDiscriminators(JSON.parse(text)))), quick: true, validate: false });
    c = Promise.all([api.init(), mocks.init()]).then(() => ({ file, api, mocks }));
    cache.set(file, c);
  }
  return c;
}


/**
 * An OpenAPI discriminator says the value of its property picks the schema. ajv's own discriminator support
 * does not cover mappings to allOf-composed schemas (as Prisoner Search's attribute-search matchers are), so
 * without this a String matcher also satisfies the Date matcher and `oneOf` refuses it. Each mapped schema
 * gets the discriminator value as a `const`: the rule the document states, made checkable.
 */
function applyDiscriminators(doc: Json): Json {
  const schemas: Record<string, Json> = doc.components?.schemas ?? {};
  for (const base of Object.values(schemas)) {
    const d = base.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
    if (!d?.mapping) continue;
    for (const [value, ref] of Object.entries(d.mapping)) {
      const target = schemas[ref.replace('#/components/schemas/', '')];
      if (target) target.allOf = [...(target.allOf ?? []), { type: 'object', properties: { [d.propertyName]: { const: value } }, required: [d.propertyName] }];
    }
  }
  return doc;
}

/**
 * Spring services declare some JSON answers as `*\/*` (the Prisoner Alerts API does); they are sent as
 * application/json, which is the only media type openapi-backend validates, so the schema is given there too.
 */
function jsonAnswers(doc: Json): Json {
  for (const item of Object.values<Json>(doc.paths ?? {})) {
    for (const op of Object.values<Json>(item)) {
      for (const res of Object.values<Json>(op?.responses ?? {})) {
        if (res?.content?.['*/*'] && !res.content['application/json']) res.content['application/json'] = res.content['*/*'];
      }
    }
  }
  return doc;
}

/**
 * The mock generator (mock-json-schema) predates OpenAPI 3.1's `type: [T, "null"]` and makes `{}` of it,
 * which the schema refuses. For generating answers only, nullable types become their non-null type, so a
 * generated answer is schema-valid with every field present (absent and null fields have their own tests).
 */
function nonNullable(node: Json): Json {
  if (Array.isArray(node)) return node.map(nonNullable);
  if (!node || typeof node !== 'object') return node;
  if (Array.isArray(node.type)) node.type = node.type.find((t: string) => t !== 'null') ?? 'string';
  for (const k of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(node[k])) {
      const rest = node[k].filter((x: Json) => !(x && x.type === 'null'));
      if (rest.length === 1 && rest.length < node[k].length) { delete node[k]; Object.assign(node, rest[0]); }
    }
  }
  for (const [k, v] of Object.entries(node)) if (k !== 'example' && k !== 'examples') node[k] = nonNullable(v);
  return node;
}

export interface Captured {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  response: unknown;
}

/** Records every fetch made while installed, with the answer; `restore()` puts global fetch back. */
export function recordRequests(): { requests: Captured[]; restore(): void } {
  const original = globalThis.fetch;
  const requests: Captured[] = [];
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const res = await original(input, init);
    const text = await res.clone().text();
    let body: unknown = undefined;
    if (typeof init?.body === 'string') {
      try { body = JSON.parse(init.body); } catch { body = init.body; }
    }
    let response: unknown = text;
    try { response = JSON.parse(text); } catch { /* not JSON */ }
    requests.push({ method: (init?.method ?? 'GET').toUpperCase(), url: new URL(String(input instanceof Request ? input.url : input)), headers: { ...(init?.headers as Record<string, string>) }, body, status: res.status, response });
    return res;
  }) as typeof fetch;
  return { requests, restore: () => { globalThis.fetch = original; } };
}

export interface Verdict {
  /** `METHOD /template` of the operation matched, or null when no contract declares the request. */
  operation: string | null;
  contract: string | null;
  errors: string[];
}

/** Operations a contract document still declares but that the real service no longer has. */
export const REMOVED: Record<string, string> = {
  'GET /api/offenders/{offenderNo}/alerts/v2': 'removed from the Prison API in August 2025 (use the Prisoner Alerts API)',
};

/**
 * Which contract declares a request, and what is wrong with it there: an undeclared method and path, a
 * removed operation, parameters or a body the operation's schemas refuse, or no bearer token.
 */
export function check(contracts: Contract[], req: Pick<Captured, 'method' | 'url' | 'headers' | 'body'>): Verdict {
  const path = req.url.pathname;
  const query = req.url.search.replace(/^\?/, '');
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const c of contracts) {
    const op = c.api.matchOperation({ method: req.method.toLowerCase(), path, headers, query });
    if (!op) continue;
    const operation = `${op.method.toUpperCase()} ${op.path}`;
    const errors: string[] = [];
    if (REMOVED[operation]) errors.push(`${operation} is ${REMOVED[operation]}`);
    const v = c.api.validateRequest({ method: req.method.toLowerCase(), path, query, headers, body: req.body }, op);
    for (const e of v.errors ?? []) errors.push(`${e.instancePath || '(request)'} ${e.message}`);
    if (!/^Bearer \S+$/.test(headers.authorization ?? '')) errors.push('no bearer token (the contract requires one)');
    return { operation, contract: c.file, errors };
  }
  return { operation: null, contract: null, errors: [`${req.method} ${path} is not an operation of ${contracts.map((c) => c.file).join(', ')}`] };
}

/** Errors of a response body against the operation that answered it. */
export function checkResponse(c: Contract, operation: string, status: number, body: unknown): string[] {
  const op = operationOf(c, operation);
  const v = c.api.validateResponse(body, op, status);
  return (v.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`);
}

export function operationOf(c: Contract, operation: string): Operation {
  const [method, path] = operation.split(' ');
  const op = c.api.getOperations().find((o) => o.method.toUpperCase() === method && o.path === path);
  if (!op) throw new Error(`${operation} is not in ${c.file}`);
  return op;
}

/** The examples a contract gives for an operation's 200 answer, and a schema-generated one (mock-json-schema). */
export function responsesFor(c: Contract, operation: string): { name: string; body: unknown }[] {
  const op = operationOf(c, operation);
  const out: { name: string; body: unknown }[] = [];
  const content = (op.responses?.['200'] as { content?: Record<string, { example?: unknown; examples?: Record<string, { value?: unknown }> }> } | undefined)?.content ?? {};
  for (const [type, media] of Object.entries(content)) {
    if (media.example !== undefined) out.push({ name: `${type} example`, body: media.example });
    for (const [name, ex] of Object.entries(media.examples ?? {})) if (ex.value !== undefined) out.push({ name: `${type} example ${name}`, body: ex.value });
  }
  const mock = c.mocks.mockResponseForOperation(op.operationId!, { code: 200 });
  if (mock.mock !== undefined) {
    // Upstream property examples are not always valid against their own schema; such an answer is still
    // one the adapter must map or refuse with a typed error, and is named as such.
    const valid = checkResponse(c, operation, 200, mock.mock).length === 0;
    out.push({ name: valid ? 'schema-generated' : 'generated (upstream examples, not schema-valid)', body: mock.mock });
  }
  return out;
}

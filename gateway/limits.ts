// Query limits at the gateway: every request is measured before it is planned and before any agency is
// asked. Tokens are bounded by graphql's own parser (parse stops at the limit), depth, aliases and
// directives by GraphQL Armor's validation rules, and the rest here: argument sizes, and a cost model in
// the spirit of Apollo Router's demand control (composite fields cost 1, leaves 0, a list multiplies
// what it selects by its size: the length of a list argument, a `first`/`limit` argument, or an assumed
// size). GraphQL Armor's own cost rule has no list multiplication, which is exactly what makes nested
// person lists expensive, so the estimate is written here. Body size and JSON nesting are bounded
// earlier still, in platform/http.ts, while the body is read.
import { createHash } from 'node:crypto';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  getNamedType, getNullableType, GraphQLError, isCompositeType, isListType, isObjectType, isInterfaceType, Kind, parse, validate,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode, type ValidationRule, type ValueNode,
} from 'graphql';

export interface QueryLimits {
  /** Request body, in bytes (platform/http.ts, while reading). */
  maxBodyBytes: number;
  /** Nesting of arrays/objects anywhere in the JSON body, variables included (platform/http.ts). */
  maxJsonDepth: number;
  /** Lexical tokens of the document. */
  maxTokens: number;
  /** Field nesting (fragments flattened). */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Items in one list argument (literal or variable). */
  maxListArgument: number;
  /** Characters in one string argument (literal or variable). */
  maxStringArgument: number;
  /** Budget of the cost estimate per request. */
  maxCost: number;
  /** Size assumed for a list field when nothing in the request says how long it is. */
  assumedListSize: number;
}

/**
 * Tight enough that the abusive probes (1,000 or 200 aliases, 24 levels of candidates, 10,000
 * directives, 50,000 tokens, 990 KB bodies, 900 KB strings, 5,000-deep variables) are refused in a few
 * ms; loose enough for the README query (depth 5, about 110 tokens, cost 300), a worklist of 100 people
 * as 100 aliases with the README selection (about 95 KB, 11,000 tokens, cost 30,000; what npm run bench
 * sends), and the property test's random queries (at most 20 aliases, 14 directives, 400 tokens, cost
 * 550 in 3,000 samples).
 */
export const DEFAULT_LIMITS: QueryLimits = {
  maxBodyBytes: 128 * 1024,
  maxJsonDepth: 16,
  maxTokens: 20_000,
  maxDepth: 10,
  maxAliases: 100,
  maxDirectives: 50,
  maxListArgument: 100,
  maxStringArgument: 256,
  maxCost: 50_000,
  assumedListSize: 5,
};

/** A refusal before planning: HTTP status, a stable code, and the name of the limit. */
export class QueryRefused extends GraphQLError {
  constructor(readonly code: string, readonly limit: string, message: string, status = 400) {
    super(message, { extensions: { code, limit, http: { status } } });
  }
}

export interface AdmittedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  cost: number;
  /** One hash per subject the operation looks up (root field arguments; list arguments one per item). */
  subjectKeys: string[];
}

const PAGING_ARGS = new Set(['first', 'last', 'after', 'before', 'limit', 'offset']);
const SIZE_ARGS = ['first', 'last', 'limit'];

/** Armor rules, each tagged with the code its refusal carries. */
function armorRules(limits: QueryLimits, refused: { error?: QueryRefused }): ValidationRule[] {
  const tag = (code: string, limit: keyof QueryLimits, what: string) => ({
    exposeLimits: false,
    // The rule throws after calling this; we keep our own typed error and stop validating.
    onReject: [(_ctx: unknown, err: GraphQLError) => { refused.error ??= new QueryRefused(code, limit, `${what} (at most ${limits[limit]})`); void err; }],
    propagateOnRejection: true,
  });
  return [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...tag('QUERY_TOO_DEEP', 'maxDepth', 'The query is nested too deeply') }) as ValidationRule,
    maxAliasesRule({ n: limits.maxAliases, ...tag('TOO_MANY_ALIASES', 'maxAliases', 'The query uses too many aliases') }) as ValidationRule,
    maxDirectivesRule({ n: limits.maxDirectives, ...tag('TOO_MANY_DIRECTIVES', 'maxDirectives', 'The query uses too many directives') }) as ValidationRule,
  ];
}

/** Parses and measures one operation; throws QueryRefused naming the first limit it crosses. */
export function admitOperation(schema: GraphQLSchema, request: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }, limits: QueryLimits): AdmittedOperation {
  // graphql's parser recurses per nesting level: thousands of levels would overflow the stack before the token limit.
  if (bracketDepthExceeds(request.query, 2 * limits.maxDepth + limits.maxJsonDepth)) throw new QueryRefused('QUERY_TOO_DEEP', 'maxDepth', `The query is nested too deeply (at most ${limits.maxDepth} levels of fields)`);
  let document: DocumentNode;
  try {
    document = parse(request.query, { maxTokens: limits.maxTokens, noLocation: true });
  } catch (err) {
    if (/more tha[nt] \d+ tokens/i.test((err as Error).message)) throw new QueryRefused('TOO_MANY_TOKENS', 'maxTokens', `The query has too many tokens (at most ${limits.maxTokens})`);
    // A plain syntax error: Apollo reports it with its location; nothing is planned.
    throw new QueryRefused('GRAPHQL_PARSE_FAILED', 'syntax', `The query cannot be parsed: ${(err as Error).message.replace(/^Syntax Error: /, '')}`);
  }
  const refused: { error?: QueryRefused } = {};
  try {
    validate(schema, document, armorRules(limits, refused));
  } catch (err) {
    if (!refused.error) throw err;
  }
  if (refused.error) throw refused.error;

  const variables = request.variables ?? {};
  checkArgumentSizes(document, variables, limits);
  const operation = pickOperation(document, request.operationName ?? null);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const cost = root ? new CostEstimate(fragments, variables, limits).selectionSet(operation.selectionSet, root) : 0;
  if (cost > limits.maxCost) {
    throw new QueryRefused('QUERY_TOO_COMPLEX', 'maxCost', `The query would cost about ${Number.isFinite(cost) ? Math.round(cost) : 'unboundedly many'} units of agency work; the budget is ${limits.maxCost}. Ask for fewer people or fewer nested lists per request`);
  }
  return { document, operation, cost, subjectKeys: subjectKeys(operation, fragments, variables) };
}

function pickOperation(document: DocumentNode, name: string | null): OperationDefinitionNode {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = name ? ops.find((o) => o.name?.value === name) : ops.length === 1 ? ops[0] : undefined;
  if (!op) throw new QueryRefused('BAD_REQUEST', 'operationName', name ? `No operation named "${name}" in the document` : 'Send exactly one operation, or name the one to run in operationName');
  return op;
}

/** Longest list and string in the arguments, literal or through variables (the variables walk is iterative: depth is already bounded). */
function checkArgumentSizes(document: DocumentNode, variables: Record<string, unknown>, limits: QueryLimits): void {
  const tooLong = (n: number) => { throw new QueryRefused('LIST_ARGUMENT_TOO_LONG', 'maxListArgument', `A list argument has ${n} items (at most ${limits.maxListArgument})`); };
  const tooLarge = (n: number) => { throw new QueryRefused('STRING_ARGUMENT_TOO_LONG', 'maxStringArgument', `A string argument has ${n} characters (at most ${limits.maxStringArgument})`); };
  const stack: unknown[] = [variables];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') { if (v.length > limits.maxStringArgument) tooLarge(v.length); } else if (Array.isArray(v)) {
      if (v.length > limits.maxListArgument) tooLong(v.length);
      stack.push(...v);
    } else if (v && typeof v === 'object') stack.push(...Object.values(v));
  }
  const values: ValueNode[] = [];
  const collect = (node: { arguments?: readonly { value: ValueNode }[]; directives?: readonly { arguments?: readonly { value: ValueNode }[] }[] }) => {
    for (const a of node.arguments ?? []) values.push(a.value);
    for (const d of node.directives ?? []) for (const a of d.arguments ?? []) values.push(a.value);
  };
  const walkSet = (set: SelectionSetNode | undefined) => {
    for (const s of set?.selections ?? []) {
      collect(s as FieldNode);
      if ('selectionSet' in s) walkSet(s.selectionSet);
    }
  };
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) {
      collect(d);
      for (const v of d.kind === Kind.OPERATION_DEFINITION ? d.variableDefinitions ?? [] : []) if (v.defaultValue) values.push(v.defaultValue);
      walkSet(d.selectionSet);
    }
  }
  while (values.length) {
    const v = values.pop()!;
    if (v.kind === Kind.STRING) { if (v.value.length > limits.maxStringArgument) tooLarge(v.value.length); } else if (v.kind === Kind.LIST) {
      if (v.values.length > limits.maxListArgument) tooLong(v.values.length);
      values.push(...v.values);
    } else if (v.kind === Kind.OBJECT) values.push(...v.fields.map((f) => f.value));
  }
}

/** Demand-control style estimate: composite field 1, leaf 0, lists multiply. Fragments are costed once per (name, type). */
class CostEstimate {
  private readonly memo = new Map<string, number>();
  private readonly visiting = new Set<string>();

  constructor(private readonly fragments: Map<string, FragmentDefinitionNode>, private readonly variables: Record<string, unknown>, private readonly limits: QueryLimits) {}

  /** `hint`: the page size of the field that returned `parent` (a `first` on a page object sizes the lists it holds). */
  selectionSet(set: SelectionSetNode, parent: GraphQLCompositeType, hint?: number): number {
    let cost = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) cost += this.field(s, parent, hint);
      else if (s.kind === Kind.INLINE_FRAGMENT) cost += this.selectionSet(s.selectionSet, parent, hint);
      else {
        const key = `${s.name.value}@${parent.name}@${hint ?? ''}`;
        let c = this.memo.get(key);
        if (c === undefined) {
          const frag = this.fragments.get(s.name.value);
          if (!frag || this.visiting.has(key)) c = 0; // unknown or cyclic: Apollo's validation refuses it anyway
          else {
            this.visiting.add(key);
            c = this.selectionSet(frag.selectionSet, parent, hint);
            this.visiting.delete(key);
          }
          this.memo.set(key, c);
        }
        cost += c;
      }
      if (cost > this.limits.maxCost) return cost; // already over: no need to cost the rest
    }
    return cost;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, hint?: number): number {
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const def = parent.getFields()[node.name.value];
    if (!def) return 0;
    const named = getNamedType(def.type);
    if (!isCompositeType(named) || !node.selectionSet) return 0;
    const own = this.sizeArgument(node) ?? defaultSize(def.args);
    if (isListType(getNullableType(def.type))) return (1 + this.selectionSet(node.selectionSet, named)) * (own ?? hint ?? this.limits.assumedListSize);
    // A page object (`auditActivityOfUser(first: 40) { records { ... } }`): its lists take the page size.
    return 1 + this.selectionSet(node.selectionSet, named, own);
  }

  /** A size the request states: a list argument's length (`ids: [...]`), or a `first`/`last`/`limit` argument. */
  private sizeArgument(node: FieldNode): number | undefined {
    for (const a of node.arguments ?? []) {
      const v = valueOf(a.value, this.variables);
      if (Array.isArray(v)) return Math.max(1, v.length);
      if (SIZE_ARGS.includes(a.name.value) && typeof v === 'number' && v > 0) return v;
    }
    return undefined;
  }
}

/** A `first`/`last`/`limit` argument's schema default (`first: Int = 50`), when the request leaves it out. */
function defaultSize(args: readonly { name: string; defaultValue?: unknown }[]): number | undefined {
  const d = args.find((a) => SIZE_ARGS.includes(a.name) && typeof a.defaultValue === 'number')?.defaultValue;
  return typeof d === 'number' && d > 0 ? d : undefined;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE: return variables[node.name.value];
    case Kind.INT: case Kind.FLOAT: return Number(node.value);
    case Kind.STRING: case Kind.ENUM: return node.value;
    case Kind.BOOLEAN: return node.value;
    case Kind.NULL: return null;
    case Kind.LIST: return node.values.map((v) => valueOf(v, variables));
    case Kind.OBJECT: return Object.fromEntries(node.fields.map((f) => [f.name.value, valueOf(f.value, variables)]));
  }
}

const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toUpperCase() : JSON.stringify(v));
const hashKey = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 22);

/**
 * What the operation looks up, for the enumeration guard: one key per root field call, built from its
 * arguments (paging arguments left out); a list argument gives one key per item. Hashed, so the shared
 * rate-limit store never holds an identifier.
 */
function subjectKeys(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>, variables: Record<string, unknown>): string[] {
  const keys = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet);
      else if (s.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(s.name.value);
        if (f && !seen.has(f.name.value)) { seen.add(f.name.value); visit(f.selectionSet); }
      } else if (!s.name.value.startsWith('__')) {
        const args = (s.arguments ?? []).filter((a) => !PAGING_ARGS.has(a.name.value)).map((a) => [a.name.value, valueOf(a.value, variables)] as const);
        if (!args.length) continue;
        const list = args.find(([, v]) => Array.isArray(v));
        const scalar = args.filter(([, v]) => !Array.isArray(v)).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${norm(v)}`).join('&');
        const items = list ? (list[1] as unknown[]) : [null];
        for (const item of items) keys.add(hashKey(`${s.name.value}|${scalar}${list ? `&${list[0]}=${norm(item)}` : ''}`));
      }
    }
  };
  visit(operation.selectionSet);
  return [...keys];
}

/** Nesting of {, ( and [ in a document's text outside strings and comments: one pass, no parsing. */
export function bracketDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 || c === 40 || c === 91) { if (++depth > max) return true; } else if (c === 125 || c === 41 || c === 93) depth--;
    else if (c === 35) { while (i < text.length && text.charCodeAt(i) !== 10) i++; } // # comment
    else if (c === 34) {
      if (text.startsWith('"""', i)) {
        let end = text.indexOf('"""', i + 3);
        while (end > 0 && text.charCodeAt(end - 1) === 92) end = text.indexOf('"""', end + 3); // \""" is an escaped quote
        i = end < 0 ? text.length : end + 2;
      } else {
        for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
      }
    }
  }
  return false;
}

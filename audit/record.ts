// The audit record (Data Protection Act 2018 s.62: who consulted or disclosed what, when, why, to whom) and
// the hash chain that makes the trail tamper-evident. Records hold coordinates and ids, never field values.
import { createHash } from 'node:crypto';

export type SubjectType = 'PERSON' | 'CASE' | 'VICTIM' | (string & {});
export type AuditOutcome = 'SUCCESS' | 'PARTIAL' | 'DENIED' | 'ERROR';
export type AuditKind = 'REQUEST' | 'RETENTION';

/** One schema coordinate disclosed (or withheld) under one rule, for the listed subjects. */
export interface DisclosureEntry {
  agency: string;
  /** Schema coordinate, `Type.field`. */
  coordinate: string;
  subjectIds: string[];
  /** Name of the policy rule that allowed or withheld it. */
  rule: string;
  /** Information-sharing agreement the disclosure relies on, if any. */
  agreement: string | null;
  reason?: string;
}

export interface AuditSubject {
  agency: string;
  type: SubjectType;
  id: string;
}

/** What a retention run removed; carried by the RETENTION record it appends. */
export interface RetentionDetails {
  removed: number;
  fromSeq: number;
  toSeq: number;
  /** Records older than this ISO instant were due for removal. */
  olderThan: string;
  /** The signed checkpoint the remaining chain hangs from. */
  anchorSeq: number;
  anchorHash: string;
}

export interface AuditRecordInput {
  /** ISO 8601 instant; normalised to `Date.toISOString()` before hashing. */
  time: string;
  requestId: string;
  caller: { subject: string; agency: string; roles: string[] };
  purpose: string;
  justification: string | null;
  operationName: string | null;
  /** sha256 hex of the query text. */
  documentHash: string;
  /** sha256 hex of the canonical JSON of the variables (see `hashVariables`). */
  variablesHash: string;
  subjects: AuditSubject[];
  disclosed: DisclosureEntry[];
  withheld: DisclosureEntry[];
  outcome: AuditOutcome;
  policyVersion: string;
  kind?: AuditKind;
  retention?: RetentionDetails;
  /** Why the gateway refused the request before any agency was asked (a limit, a rate limit, the enumeration guard). */
  refusal?: AuditRefusal;
  /** The X-Request-Id the client sent, kept beside the gateway's own requestId (never instead of it). */
  clientRequestId?: string;
  /** The W3C trace id of the request when tracing is on (32 hex digits), to find its spans. */
  traceId?: string;
}

/** A request refused at the gateway: the stable code the client got and the limit that refused it. */
export interface AuditRefusal {
  code: string;
  limit: string;
}

export interface StoredAuditRecord extends AuditRecordInput {
  /** 1, 2, 3, ... without gaps. */
  seq: number;
  prevHash: string;
  hash: string;
}

/** A signed statement that the chain's record `seq` had hash `hash` at `time`. */
export interface Checkpoint {
  seq: number;
  hash: string;
  time: string;
  /** Compact JWS (ES256) over the canonical JSON of { seq, hash, time }. */
  signature: string;
  kid: string;
}

/** prevHash of record 1. */
export const GENESIS_HASH = '0'.repeat(64);
const HEX64 = /^[0-9a-f]{64}$/;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted and no whitespace, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonical JSON: expected a JSON value, got ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return canonicalJson(json.call(value));
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The variablesHash of a request: sha256 of the canonical JSON of its variables (none = `{}`). */
export function hashVariables(variables: Record<string, unknown> | null | undefined): string {
  return sha256Hex(canonicalJson(variables ?? {}));
}

/** The hash of record `seq`: sha256 hex over the canonical JSON of { seq, prevHash, ...input }. */
export function hashRecord(prevHash: string, input: AuditRecordInput, seq: number): string {
  return sha256Hex(canonicalJson({ ...input, seq, prevHash }));
}

/** Splits a stored record back into its input and chain fields. */
export function recordInput(record: StoredAuditRecord): AuditRecordInput {
  const { seq: _seq, prevHash: _prev, hash: _hash, ...input } = record;
  return input;
}

/** Links `input` onto the chain after (prevSeq, prevHash). */
export function chainRecord(prevSeq: number, prevHash: string, input: AuditRecordInput): StoredAuditRecord {
  const seq = prevSeq + 1;
  return { ...input, seq, prevHash, hash: hashRecord(prevHash, input, seq) };
}

// PostgreSQL jsonb refuses NUL and lone surrogates; replacing them before hashing keeps both stores equal.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const clean = (s: string) => s.replace(UNSTORABLE, '\ufffd');

function str(path: string, v: unknown): string {
  if (typeof v !== 'string') throw new TypeError(`audit record: expected ${path} to be a string, got ${v === null ? 'null' : typeof v}`);
  return clean(v);
}
const strOrNull = (path: string, v: unknown) => (v === null || v === undefined ? null : str(path, v));
function arr<T>(path: string, v: unknown, each: (x: unknown, p: string) => T): T[] {
  if (!Array.isArray(v)) throw new TypeError(`audit record: expected ${path} to be an array, got ${v === null ? 'null' : typeof v}`);
  return v.map((x, i) => each(x, `${path}[${i}]`));
}
function hex(path: string, v: unknown): string {
  const s = str(path, v);
  if (!HEX64.test(s)) throw new TypeError(`audit record: expected ${path} to be 64 lower-case hex digits, got "${s.slice(0, 80)}"`);
  return s;
}
function obj(path: string, v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`audit record: expected ${path} to be an object, got ${v === null ? 'null' : typeof v}`);
  return v as Record<string, unknown>;
}
function int(path: string, v: unknown): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw new TypeError(`audit record: expected ${path} to be a non-negative integer, got ${String(v)}`);
  return v as number;
}

function entry(v: unknown, p: string): DisclosureEntry {
  const e = obj(p, v);
  const out: DisclosureEntry = {
    agency: str(`${p}.agency`, e.agency),
    coordinate: str(`${p}.coordinate`, e.coordinate),
    subjectIds: arr(`${p}.subjectIds`, e.subjectIds, (x, q) => str(q, x)),
    rule: str(`${p}.rule`, e.rule),
    agreement: strOrNull(`${p}.agreement`, e.agreement),
  };
  if (e.reason !== undefined) out.reason = str(`${p}.reason`, e.reason);
  return out;
}

const OUTCOMES = new Set(['SUCCESS', 'PARTIAL', 'DENIED', 'ERROR']);
const KINDS = new Set(['REQUEST', 'RETENTION']);

/**
 * Checks an input's shape and returns the exact object that will be hashed and stored: only known
 * fields, time as `toISOString()`, strings storable in both stores. Throws TypeError naming the field.
 */
export function normaliseInput(value: unknown): AuditRecordInput {
  const v = obj('input', value);
  const ms = Date.parse(str('time', v.time));
  if (Number.isNaN(ms)) throw new TypeError(`audit record: expected time to be an ISO 8601 instant, got "${String(v.time).slice(0, 40)}"`);
  const caller = obj('caller', v.caller);
  const outcome = str('outcome', v.outcome);
  if (!OUTCOMES.has(outcome)) throw new TypeError(`audit record: expected outcome SUCCESS, PARTIAL, DENIED or ERROR, got "${outcome}"`);
  const out: AuditRecordInput = {
    time: new Date(ms).toISOString(),
    requestId: str('requestId', v.requestId),
    caller: { subject: str('caller.subject', caller.subject), agency: str('caller.agency', caller.agency), roles: arr('caller.roles', caller.roles, (x, p) => str(p, x)) },
    purpose: str('purpose', v.purpose),
    justification: strOrNull('justification', v.justification),
    operationName: strOrNull('operationName', v.operationName),
    documentHash: hex('documentHash', v.documentHash),
    variablesHash: hex('variablesHash', v.variablesHash),
    subjects: arr('subjects', v.subjects, (x, p) => {
      const s = obj(p, x);
      return { agency: str(`${p}.agency`, s.agency), type: str(`${p}.type`, s.type), id: str(`${p}.id`, s.id) };
    }),
    disclosed: arr('disclosed', v.disclosed, entry),
    withheld: arr('withheld', v.withheld, entry),
    outcome: outcome as AuditOutcome,
    policyVersion: str('policyVersion', v.policyVersion),
  };
  if (v.kind !== undefined) {
    const kind = str('kind', v.kind);
    if (!KINDS.has(kind)) throw new TypeError(`audit record: expected kind REQUEST or RETENTION, got "${kind}"`);
    out.kind = kind as AuditKind;
  }
  if (v.retention !== undefined) {
    const r = obj('retention', v.retention);
    out.retention = {
      removed: int('retention.removed', r.removed),
      fromSeq: int('retention.fromSeq', r.fromSeq),
      toSeq: int('retention.toSeq', r.toSeq),
      olderThan: str('retention.olderThan', r.olderThan),
      anchorSeq: int('retention.anchorSeq', r.anchorSeq),
      anchorHash: hex('retention.anchorHash', r.anchorHash),
    };
  }
  if (v.refusal !== undefined) {
    const r = obj('refusal', v.refusal);
    out.refusal = { code: str('refusal.code', r.code), limit: str('refusal.limit', r.limit) };
  }
  if (v.clientRequestId !== undefined) out.clientRequestId = str('clientRequestId', v.clientRequestId);
  if (v.traceId !== undefined) {
    const t = str('traceId', v.traceId);
    if (!/^[0-9a-f]{32}$/.test(t)) throw new TypeError('traceId must be 32 lower-case hex digits');
    out.traceId = t;
  }
  return out;
}

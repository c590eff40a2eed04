// What one request disclosed and withheld in one subgraph, for the audit trail: schema coordinates with
// the rule and agreement that decided them and the subjects (agency record ids, case URNs, victim ids)
// they concern. No field values. The harness returns it to the gateway in an HTTP response header
// (DISCLOSURES_HEADER), so the response body is exactly what a conformant subgraph returns.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { decodePersonKey } from '../schema/person-id.js';
import type { DisclosureLog } from './types.js';

export interface DisclosureEntry {
  agency: string;
  coordinate: string;
  decision: 'DISCLOSED' | 'WITHHELD';
  rule: string;
  agreement: string | null;
  reason?: string;
  subjectIds: string[];
}

/** Where a report too large for a header travels instead (and where it travelled before the header). */
export const DISCLOSURES_EXTENSION = 'disclosures';
/** The response header carrying the report: compact JSON, deflated, base64url. */
export const DISCLOSURES_HEADER = 'x-disclosures';
/** The header's value when the report is in the body's extensions instead. */
export const DISCLOSURES_IN_BODY = 'body';
/**
 * The largest header value sent. Node's HTTP client refuses response headers over 16 KiB in all, so a
 * larger report (thousands of distinct subjects in one call) goes in the body, flagged by the header.
 */
export const DISCLOSURES_HEADER_BUDGET = 12_000;

/** Compact form: subjects listed once, entries as tuples naming them by index. */
interface CompactReport {
  v: 1;
  s: string[];
  e: [agency: string, coordinate: string, decision: 0 | 1, rule: string, agreement: string | null, reason: string | null, subjects: number[]][];
}

/** The report as a header value, or null when it would exceed `budget` characters. */
export function encodeDisclosures(entries: DisclosureEntry[], budget = DISCLOSURES_HEADER_BUDGET): string | null {
  const index = new Map<string, number>();
  const s: string[] = [];
  const at = (id: string) => { let i = index.get(id); if (i === undefined) { index.set(id, (i = s.length)); s.push(id); } return i; };
  const compact: CompactReport = {
    v: 1, s,
    e: entries.map((e) => [e.agency, e.coordinate, e.decision === 'DISCLOSED' ? 1 : 0, e.rule, e.agreement, e.reason ?? null, e.subjectIds.map(at)]),
  };
  const value = deflateRawSync(Buffer.from(JSON.stringify(compact))).toString('base64url');
  return value.length <= budget ? value : null;
}

/** The report a header carries; throws on a value that is not one (the caller treats that as no report). */
export function decodeDisclosures(value: string): DisclosureEntry[] {
  const c = JSON.parse(inflateRawSync(Buffer.from(value, 'base64url'), { maxOutputLength: 64 * 1024 * 1024 }).toString('utf8')) as CompactReport;
  if (c?.v !== 1 || !Array.isArray(c.s) || !Array.isArray(c.e)) throw new Error('not a disclosure report');
  return c.e.map(([agency, coordinate, d, rule, agreement, reason, subjects]) => ({
    agency, coordinate, decision: d === 1 ? 'DISCLOSED' : 'WITHHELD', rule, agreement, ...(reason ? { reason } : {}), subjectIds: subjects.map((i) => c.s[i]),
  }));
}

/**
 * Subject ids a record's facts name: `police=400000`, `case=01ZD0303208`, `victim=V0000001`; a CRN fact
 * is the recording subgraph's own local id (`<subgraph>=<crn>`).
 */
export function subjectIdsOf(facts: unknown, subgraph: string): string[] {
  if (!facts || typeof facts !== 'object') return [];
  const f = facts as { personKey?: string; crn?: string; caseUrn?: string; victimId?: string; args?: Record<string, unknown> };
  const ids: string[] = [];
  if (f.personKey) { try { ids.push(...decodePersonKey(f.personKey).refs.map((r) => `${r.agency}=${r.localId}`)); } catch { /* a malformed key names no one */ } }
  if (f.crn) ids.push(`${subgraph}=${f.crn}`);
  if (f.caseUrn) ids.push(`case=${f.caseUrn}`);
  if (f.victimId) ids.push(`victim=${f.victimId}`);
  if (f.args) for (const [k, v] of Object.entries(f.args)) if (typeof v === 'string' && v.length <= 80) ids.push(`${k}=${v}`);
  return ids;
}

type Entry = Omit<DisclosureEntry, 'subjectIds'> & {
  /** The records (their facts) the decision was applied to; their subjects are named once, in toJSON. */
  facts: object[];
  last: object | null;
};

export class RequestDisclosures implements DisclosureLog {
  private readonly entries = new Map<string, Entry>();
  // The same decision object for the same coordinate (a list item after another) finds its entry without a key string.
  private readonly byDecision = new WeakMap<object, Map<string, Entry>>();

  record(subgraph: string, coordinate: string, decision: { allowed: boolean; grant?: string; agreement?: string | null; reason?: string }, facts: unknown): void {
    let forDecision = this.byDecision.get(decision);
    let e = forDecision?.get(coordinate);
    if (!e) {
      const d = decision.allowed ? 'DISCLOSED' : 'WITHHELD';
      const key = `${coordinate}|${d}|${decision.grant ?? ''}|${decision.reason ?? ''}`;
      e = this.entries.get(key);
      if (!e) {
        e = { agency: subgraph, coordinate, decision: d, rule: decision.grant ?? `policy:${coordinate}`, agreement: decision.agreement ?? null, ...(decision.reason ? { reason: decision.reason } : {}), facts: [], last: null };
        this.entries.set(key, e);
      }
      if (!forDecision) this.byDecision.set(decision, (forDecision = new Map()));
      forDecision.set(coordinate, e);
    }
    // A record's subjects are read once, when the report is made: here only the record is remembered
    // (a list item's fields arrive one after another, so the same record twice in a row is kept once).
    if (!facts || typeof facts !== 'object' || facts === e.last) return;
    e.facts.push(facts);
    e.last = facts;
  }

  toJSON(): DisclosureEntry[] {
    const idsOf = new Map<object, string[]>();
    return [...this.entries.values()].map(({ facts, last: _last, ...e }) => {
      const subjects = new Set<string>();
      for (const f of facts) {
        let ids = idsOf.get(f);
        if (!ids) idsOf.set(f, (ids = subjectIdsOf(f, e.agency)));
        for (const id of ids) subjects.add(id);
      }
      return { ...e, subjectIds: [...subjects].sort() };
    });
  }
}

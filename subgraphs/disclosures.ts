// What one request disclosed and withheld in one subgraph, for the audit trail: schema coordinates with
// the rule and agreement that decided them and the subjects (agency record ids, case URNs, victim ids)
// they concern. No field values. The harness returns it to the gateway in the response's extensions.
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

export const DISCLOSURES_EXTENSION = 'disclosures';

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

export class RequestDisclosures implements DisclosureLog {
  private readonly entries = new Map<string, DisclosureEntry & { subjects: Set<string> }>();
  // The same decision object for the same coordinate (a list item after another) finds its entry without a key string.
  private readonly byDecision = new WeakMap<object, Map<string, DisclosureEntry & { subjects: Set<string> }>>();
  private readonly subjectsOfFacts = new WeakMap<object, string[]>();

  record(subgraph: string, coordinate: string, decision: { allowed: boolean; grant?: string; agreement?: string | null; reason?: string }, facts: unknown): void {
    let forDecision = this.byDecision.get(decision);
    let e = forDecision?.get(coordinate);
    if (!e) {
      const d = decision.allowed ? 'DISCLOSED' : 'WITHHELD';
      const key = `${coordinate}|${d}|${decision.grant ?? ''}|${decision.reason ?? ''}`;
      e = this.entries.get(key);
      if (!e) {
        e = { agency: subgraph, coordinate, decision: d, rule: decision.grant ?? `policy:${coordinate}`, agreement: decision.agreement ?? null, ...(decision.reason ? { reason: decision.reason } : {}), subjectIds: [], subjects: new Set() };
        this.entries.set(key, e);
      }
      if (!forDecision) this.byDecision.set(decision, (forDecision = new Map()));
      forDecision.set(coordinate, e);
    }
    if (!facts || typeof facts !== 'object') return;
    let ids = this.subjectsOfFacts.get(facts);
    if (!ids) this.subjectsOfFacts.set(facts, (ids = subjectIdsOf(facts, subgraph)));
    for (const id of ids) e.subjects.add(id);
  }

  toJSON(): DisclosureEntry[] {
    return [...this.entries.values()].map(({ subjects, ...e }) => ({ ...e, subjectIds: [...subjects].sort() }));
  }
}

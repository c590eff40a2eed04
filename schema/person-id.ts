// Person.id: the federation key of a person, made of the agency records that are linked with
// certainty. It is stateless (no central index is stored) and readable: `P1:police=400000,prisons=H1801ZZ`.
// Every agency subgraph decodes it to find its own record ids. An agency that could not be consulted
// while linking is marked `~<agency>` (`~<agency>=timeout` when it did not answer in time), so its
// subgraph answers SOURCE_UNAVAILABLE (or SOURCE_TIMEOUT) instead of a silent "no records".
import { GraphQLError } from 'graphql';
import { AdapterError } from '../adapters/errors.js';
import type { AgencySlug } from './model.js';

export interface PersonRef {
  agency: AgencySlug;
  localId: string;
}

const PREFIX = 'P1:';
const SLUG = /^[a-z][a-z0-9-]{1,30}$/;
const LOCAL_ID = /^[A-Za-z0-9/_.-]{1,40}$/;

/**
 * An agency left out of linking: by slug (unavailable), or with why: it did not answer in time, or its
 * answer could not be read (`~<agency>=bad`).
 */
export type Unconsulted = AgencySlug | { agency: AgencySlug; timedOut: boolean; unreadable?: boolean };

/** How sure an outage mark is, weakest first: a real outage outranks an unreadable answer, which outranks a timeout. */
const MARK_RANK = { timeout: 0, bad: 1, '': 2 } as const;

export function encodePersonId(refs: PersonRef[], unconsulted: Unconsulted[] = []): string {
  const sorted = [...refs].sort((a, b) => a.agency.localeCompare(b.agency) || a.localId.localeCompare(b.localId));
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const r of sorted) {
    const part = `${r.agency}=${r.localId}`;
    if (!seen.has(part)) { seen.add(part); parts.push(part); }
  }
  const marks = new Map<string, keyof typeof MARK_RANK>();
  for (const u of unconsulted) {
    const [agency, why] = typeof u === 'string' ? [u, '' as const] : [u.agency, u.unreadable ? 'bad' as const : u.timedOut ? 'timeout' as const : '' as const];
    const before = marks.get(agency);
    if (before === undefined || MARK_RANK[why] > MARK_RANK[before]) marks.set(agency, why);
  }
  for (const agency of [...marks.keys()].sort()) parts.push(`~${agency}${marks.get(agency) ? `=${marks.get(agency)}` : ''}`);
  return PREFIX + parts.join(',');
}

export function decodePersonId(id: string): PersonRef[] {
  return decodePersonKey(id).refs;
}

/** The records of a person key, and the agencies that could not be consulted (or timed out) when it was made. */
export function decodePersonKey(id: string): { refs: PersonRef[]; unconsulted: AgencySlug[]; timedOut: AgencySlug[]; unreadable: AgencySlug[] } {
  const bad = () => new GraphQLError(`Person id is not valid: expected P1:<agency>=<id>,..., got ${JSON.stringify(id.slice(0, 80))}`, { extensions: { code: 'BAD_USER_INPUT' } });
  if (typeof id !== 'string' || !id.startsWith(PREFIX) || id.length > 400) throw bad();
  const body = id.slice(PREFIX.length);
  const refs: PersonRef[] = [];
  const unconsulted: AgencySlug[] = [];
  const timedOut: AgencySlug[] = [];
  const unreadable: AgencySlug[] = [];
  if (body === '') return { refs, unconsulted, timedOut, unreadable };
  for (const part of body.split(',')) {
    if (part.startsWith('~')) {
      const [agency, why, extra] = part.slice(1).split('=');
      if (!SLUG.test(agency) || extra !== undefined || (why !== undefined && why !== 'timeout' && why !== 'bad')) throw bad();
      unconsulted.push(agency);
      if (why === 'timeout') timedOut.push(agency);
      if (why === 'bad') unreadable.push(agency);
      continue;
    }
    const [agency, localId, extra] = part.split('=');
    if (extra !== undefined || !SLUG.test(agency ?? '') || !LOCAL_ID.test(localId ?? '')) throw bad();
    refs.push({ agency, localId });
  }
  return { refs, unconsulted, timedOut, unreadable };
}

/**
 * The local ids an agency holds for a person key. Throws SOURCE_UNAVAILABLE when the agency could not
 * be consulted while the person was linked: "no records" would then be a guess, not a fact.
 */
export function localIdsFor(id: string, agency: AgencySlug): string[] {
  const { refs, unconsulted, timedOut, unreadable } = decodePersonKey(id);
  if (unreadable.includes(agency)) {
    throw new AdapterError({ agency, operation: 'link', code: 'BAD_SOURCE_DATA', systemFault: false, message: `${agency} system's answer could not be read, so its records for this person are unknown` });
  }
  if (timedOut.includes(agency)) {
    throw new AdapterError({ agency, operation: 'link', code: 'SOURCE_TIMEOUT', message: `${agency} system did not answer in time, so its records for this person are unknown` });
  }
  if (unconsulted.includes(agency)) {
    throw new AdapterError({ agency, operation: 'link', code: 'SOURCE_UNAVAILABLE', message: `${agency} system could not be consulted, so its records for this person are unknown` });
  }
  return refs.filter((r) => r.agency === agency).map((r) => r.localId);
}

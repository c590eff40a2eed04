// Person.id: the federation key of a person, made of the agency records that are linked with
// certainty. It is stateless (no central index is stored) and readable: `P1:police=400000,prisons=H1801ZZ`.
// Every agency subgraph decodes it to find its own record ids.
import { GraphQLError } from 'graphql';
import type { AgencySlug } from './model.js';

export interface PersonRef {
  agency: AgencySlug;
  localId: string;
}

const PREFIX = 'P1:';
const SLUG = /^[a-z][a-z0-9-]{1,30}$/;
const LOCAL_ID = /^[A-Za-z0-9/_.-]{1,40}$/;

export function encodePersonId(refs: PersonRef[]): string {
  const sorted = [...refs].sort((a, b) => a.agency.localeCompare(b.agency) || a.localId.localeCompare(b.localId));
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const r of sorted) {
    const part = `${r.agency}=${r.localId}`;
    if (!seen.has(part)) { seen.add(part); parts.push(part); }
  }
  return PREFIX + parts.join(',');
}

export function decodePersonId(id: string): PersonRef[] {
  const bad = () => new GraphQLError(`Person id is not valid: expected P1:<agency>=<id>,..., got ${JSON.stringify(id.slice(0, 80))}`, { extensions: { code: 'BAD_USER_INPUT' } });
  if (typeof id !== 'string' || !id.startsWith(PREFIX) || id.length > 400) throw bad();
  const body = id.slice(PREFIX.length);
  if (body === '') return [];
  return body.split(',').map((part) => {
    const [agency, localId, extra] = part.split('=');
    if (extra !== undefined || !SLUG.test(agency ?? '') || !LOCAL_ID.test(localId ?? '')) throw bad();
    return { agency, localId };
  });
}

/** The local ids an agency holds for a person key. */
export function localIdsFor(id: string, agency: AgencySlug): string[] {
  return decodePersonId(id).filter((r) => r.agency === agency).map((r) => r.localId);
}

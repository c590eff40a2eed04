// The caller assertion: a short-lived JWT the gateway signs for each subgraph call, saying who the caller
// is and why they ask. Subgraphs trust nothing else: a request without a valid assertion for that
// subgraph (audience = subgraph name) is refused, `_service` and `_entities` included, so nobody can
// call around the gateway. The caller's own token never travels past the gateway. Each assertion is
// bound to one subgraph request: the request id plus SHA-256 hashes of that request's document and
// variables, which the subgraph recomputes from the body it received; a captured assertion cannot be
// replayed with another query (nor the same query for other records).
import { createHash } from 'node:crypto';
import { SignJWT, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { ALG } from './keys.js';
import { canonicalJson } from '../audit/record.js';
import { NO_RELATIONSHIPS, type Relationships } from '../subgraphs/types.js';

export const ASSERTION_HEADER = 'x-caller-assertion';
export const ASSERTION_ISSUER = 'justice-graph-gateway';
/** Long enough for one subgraph call, short enough that a captured assertion is soon useless. */
export const ASSERTION_TTL_SECONDS = 60;

export interface CallerClaims {
  subject: string;
  agency: string;
  roles: string[];
  purpose: string;
  justification: string | null;
  requestId: string;
  staffCode: string | null;
  relationships: Relationships;
}

/** The subgraph request an assertion is good for: its document and variables, as sent. */
export interface AssertionBinding {
  query: string;
  variables?: Record<string, unknown> | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

/** `dh`: SHA-256 of the document text; `vh`: SHA-256 of the variables' canonical JSON (key order does not matter). */
export function bindingClaims(binding: AssertionBinding): { dh: string; vh: string } {
  return { dh: sha256(binding.query), vh: sha256(canonicalJson(binding.variables ?? {})) };
}

export async function signAssertion(key: CryptoKey, kid: string, audience: string, caller: CallerClaims, binding: AssertionBinding): Promise<string> {
  return new SignJWT({ agency: caller.agency, roles: caller.roles, purpose: caller.purpose, justification: caller.justification, rid: caller.requestId, staff: caller.staffCode, rel: caller.relationships, ...bindingClaims(binding) })
    .setProtectedHeader({ alg: ALG, kid, typ: 'caller-assertion+jwt' })
    .setSubject(caller.subject)
    .setIssuer(ASSERTION_ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${ASSERTION_TTL_SECONDS}s`)
    .sign(key);
}

export class AssertionError extends Error {}

/**
 * Verifies an assertion for `audience` and for the request it arrived with (`received`: the body's
 * query and variables); throws AssertionError with a reason safe to log (never the token).
 */
export async function verifyAssertion(key: CryptoKey, audience: string, token: string | undefined, received: AssertionBinding | null): Promise<CallerClaims> {
  if (!token) throw new AssertionError('no caller assertion');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, { issuer: ASSERTION_ISSUER, audience, algorithms: [ALG], typ: 'caller-assertion+jwt', maxTokenAge: ASSERTION_TTL_SECONDS + 5 }));
  } catch (err) {
    throw new AssertionError(`caller assertion rejected: ${(err as { code?: string }).code ?? 'invalid'}`);
  }
  const { sub, agency, roles, purpose, justification, rid, staff, rel, dh, vh } = payload as JWTPayload & Record<string, unknown>;
  if (typeof dh !== 'string' || typeof vh !== 'string') throw new AssertionError('caller assertion is not bound to a request');
  if (!received || typeof received.query !== 'string') throw new AssertionError('request has no document to check the assertion against');
  const expected = bindingClaims(received);
  if (expected.dh !== dh || expected.vh !== vh) throw new AssertionError('caller assertion was issued for another request');
  if (typeof sub !== 'string' || typeof agency !== 'string' || !Array.isArray(roles) || !roles.every((r) => typeof r === 'string') || typeof purpose !== 'string' || typeof rid !== 'string') {
    throw new AssertionError('caller assertion lacks subject, agency, roles, purpose or request id');
  }
  return {
    subject: sub, agency, roles: roles as string[], purpose, justification: typeof justification === 'string' ? justification : null, requestId: rid,
    staffCode: typeof staff === 'string' ? staff : null, relationships: readRelationships(rel),
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
function readRelationships(rel: unknown): Relationships {
  if (!rel || typeof rel !== 'object') return NO_RELATIONSHIPS;
  const r = rel as Record<string, unknown>;
  return { caseloadCrns: strings(r.caseloadCrns), victimIds: strings(r.victimIds), victimCaseUrns: strings(r.victimCaseUrns), victimDefendantIds: strings(r.victimDefendantIds), unavailable: strings(r.unavailable) };
}

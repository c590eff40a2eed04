// The caller assertion: a short-lived JWT the gateway signs for each subgraph call, saying who the caller
// is and why they ask. Subgraphs trust nothing else: a request without a valid assertion for that
// subgraph (audience = subgraph name) is refused, `_service` and `_entities` included, so nobody can
// call around the gateway. The caller's own token never travels past the gateway. Each assertion is
// bound to one subgraph request: the request id plus SHA-256 hashes of that request's document and
// variables, which the subgraph recomputes from the body it received; a captured assertion cannot be
// replayed with another query (nor the same query for other records).
// A service that asks another subgraph on a caller's behalf (identity linking, the gateway's relationship
// facts, the auditors' look-ups) signs with its own key, as issuer `justice-graph-<service>`, and names
// itself in the `act` claim (RFC 8693); only internal fields answer such a call.
import { createHash } from 'node:crypto';
import { SignJWT, decodeJwt, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { ALG } from './keys.js';
import { canonicalJson } from '../audit/record.js';
import { NO_RELATIONSHIPS, RELATIONSHIP_FACTS, type Relationships } from '../subgraphs/types.js';

export const ASSERTION_HEADER = 'x-caller-assertion';
export const ASSERTION_ISSUER = 'justice-graph-gateway';
/** The issuer a service signs as: `justice-graph-gateway`, `justice-graph-identity`, ... */
export const issuerOf = (service: string): string => `justice-graph-${service}`;
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
  /** The service calling on the caller's behalf (internal fields only); absent on the gateway's own calls for a client. */
  actor?: string | null;
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

/** Signs for `audience`, bound to one request; with `actor`, as that service's internal call (the key must be that service's own). */
export async function signAssertion(key: CryptoKey, kid: string, audience: string, caller: CallerClaims, binding: AssertionBinding, actor?: string): Promise<string> {
  return new SignJWT({
    agency: caller.agency, roles: caller.roles, purpose: caller.purpose, justification: caller.justification, rid: caller.requestId, staff: caller.staffCode, rel: caller.relationships,
    ...bindingClaims(binding), ...(actor ? { act: { sub: actor } } : {}),
  })
    .setProtectedHeader({ alg: ALG, kid, typ: 'caller-assertion+jwt' })
    .setSubject(caller.subject)
    .setIssuer(actor ? issuerOf(actor) : ASSERTION_ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${ASSERTION_TTL_SECONDS}s`)
    .sign(key);
}

export class AssertionError extends Error {}

/**
 * Verifies an assertion for `audience` and for the request it arrived with (`received`: the body's
 * query and variables); throws AssertionError with a reason safe to log (never the token).
 * `key` is the gateway's public key, or the public keys of every service trusted to call, by service name.
 */
export async function verifyAssertion(key: CryptoKey | Record<string, CryptoKey>, audience: string, token: string | undefined, received: AssertionBinding | null): Promise<CallerClaims> {
  if (!token) throw new AssertionError('no caller assertion');
  const keys: Record<string, CryptoKey> = isKeyMap(key) ? key : { gateway: key };
  let payload: JWTPayload;
  let service: string | undefined;
  try {
    const iss = decodeJwt(token).iss;
    service = Object.keys(keys).find((s) => issuerOf(s) === iss);
    if (!service) throw Object.assign(new Error('unknown issuer'), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
    ({ payload } = await jwtVerify(token, keys[service], { issuer: issuerOf(service), audience, algorithms: [ALG], typ: 'caller-assertion+jwt', maxTokenAge: ASSERTION_TTL_SECONDS + 5 }));
  } catch (err) {
    throw new AssertionError(`caller assertion rejected: ${(err as { code?: string }).code ?? 'invalid'}`);
  }
  const { sub, agency, roles, purpose, justification, rid, staff, rel, dh, vh, act } = payload as JWTPayload & Record<string, unknown>;
  if (typeof dh !== 'string' || typeof vh !== 'string') throw new AssertionError('caller assertion is not bound to a request');
  if (!received || typeof received.query !== 'string') throw new AssertionError('request has no document to check the assertion against');
  const expected = bindingClaims(received);
  if (expected.dh !== dh || expected.vh !== vh) throw new AssertionError('caller assertion was issued for another request');
  const actor = act && typeof act === 'object' && typeof (act as { sub?: unknown }).sub === 'string' ? (act as { sub: string }).sub : null;
  // Only the gateway speaks for clients; any other service may only ever call as itself.
  if ((actor !== null && actor !== service) || (actor === null && service !== 'gateway')) throw new AssertionError('caller assertion names an actor other than its signer');
  if (typeof sub !== 'string' || typeof agency !== 'string' || !Array.isArray(roles) || !roles.every((r) => typeof r === 'string') || typeof purpose !== 'string' || typeof rid !== 'string') {
    throw new AssertionError('caller assertion lacks subject, agency, roles, purpose or request id');
  }
  return {
    subject: sub, agency, roles: roles as string[], purpose, justification: typeof justification === 'string' ? justification : null, requestId: rid,
    staffCode: typeof staff === 'string' ? staff : null, relationships: readRelationships(rel), ...(actor ? { actor } : {}),
  };
}

function isKeyMap(k: CryptoKey | Record<string, CryptoKey>): k is Record<string, CryptoKey> {
  return !(typeof (k as CryptoKey).type === 'string' && 'algorithm' in (k as object));
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
function readRelationships(rel: unknown): Relationships {
  if (!rel || typeof rel !== 'object') return NO_RELATIONSHIPS;
  const r = rel as Record<string, unknown>;
  const src = r.sources && typeof r.sources === 'object' ? r.sources as Record<string, unknown> : {};
  const sources: Relationships['sources'] = {};
  for (const f of RELATIONSHIP_FACTS) if (typeof src[f] === 'string') sources[f] = src[f] as string;
  return { caseloadCrns: strings(r.caseloadCrns), victimIds: strings(r.victimIds), victimCaseUrns: strings(r.victimCaseUrns), victimDefendantIds: strings(r.victimDefendantIds), unavailable: strings(r.unavailable), sources };
}

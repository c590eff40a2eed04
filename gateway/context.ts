// The gateway's edge, in the order a request meets it: the caller's bearer token is verified (and goes no
// further) and the declared purpose checked against the caller's roles; the user's and agency's request
// rates are counted; the operation is resolved (trusted documents) and measured against the query
// limits; the enumeration guard counts the people it looks up; only then are the caller's relationships
// asked of the agencies. Every refusal before that point costs no agency call. What travels to the
// subgraphs is a signed assertion per subgraph request.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { CryptoKey } from 'jose';
import { signAssertion, type AssertionBinding, type CallerClaims } from '../auth/assertion.js';
import { TokenError, type TokenVerifier, type UserClaims } from '../auth/tokens.js';
import { ROLES } from '../schema/policy/index.js';
import { NO_RELATIONSHIPS } from '../subgraphs/types.js';
import type { RelationshipResolver } from './relationships.js';
import type { DisclosureEntry } from '../subgraphs/disclosures.js';
import { admitOperation, QueryRefused, type QueryLimits } from './limits.js';
import type { RateLimitGuard } from './rate-limit.js';
import type { TrustedDocuments } from './trusted-documents.js';

export interface GatewayContext {
  caller: CallerClaims;
  /** The gateway's own id for this request (never the client's). */
  requestId: string;
  /** The X-Request-Id the client sent, if well-formed: recorded beside requestId in the audit record. */
  clientRequestId: string | null;
  /** What each subgraph reported it disclosed and withheld, gathered for the audit record. */
  disclosures: DisclosureEntry[];
  /** The assertion for one subgraph request (audience = the subgraph's name), bound to its document and variables. */
  assertionFor(subgraph: string, request: AssertionBinding): Promise<string>;
  /** Epoch ms by which the whole request must be answered; sent to every subgraph (x-request-deadline). */
  deadline: number;
}

/** What a refusal carries for the audit record: the caller (when known) and the request as sent. */
export interface RefusalDetails {
  caller: CallerClaims;
  clientRequestId: string | null;
  request: { query?: string; operationName?: string | null; variables?: Record<string, unknown> | null };
}

const PURPOSE = /^[A-Z][A-Z_]{2,39}$/;
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

const refuse = (status: number, code: string, message: string) => new GraphQLError(message, { extensions: { code, http: { status } } });

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Attaches what the audit record needs to a refusal, without it ever being serialised to the client. */
export function withRefusalDetails<E extends object>(err: E, details: RefusalDetails): E {
  Object.defineProperty(err, 'refusal', { value: details, enumerable: false });
  return err;
}

export const refusalDetailsOf = (err: unknown): RefusalDetails | undefined => (err as { refusal?: RefusalDetails } | null)?.refusal;

export interface Signer {
  key: CryptoKey;
  kid: string;
}

/** The caller as far as the token and headers tell, before any agency is asked. */
export interface Identified {
  claims: CallerClaims;
  user: UserClaims;
  clientRequestId: string | null;
}

/**
 * Verifies the bearer token and the declared purpose. Refusals are HTTP errors with a code; a purpose
 * the caller's roles may not declare is refused with the caller attached, so that it is audited.
 */
export async function identify(req: IncomingMessage, verify: TokenVerifier): Promise<Identified> {
  const auth = header(req, 'authorization');
  const m = auth ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/.exec(auth) : null;
  if (!m) throw refuse(401, 'UNAUTHENTICATED', 'Send Authorization: Bearer <token> (npm run token prints a development one)');
  let user: UserClaims;
  try {
    user = await verify(m[1]);
  } catch (err) {
    if (err instanceof TokenError) throw refuse(401, 'UNAUTHENTICATED', `Bearer token refused: ${err.message}`);
    throw err;
  }
  const purpose = header(req, 'x-purpose')?.trim();
  if (!purpose) throw refuse(400, 'PURPOSE_REQUIRED', 'Declare why you are asking: send an X-Purpose header (e.g. X-Purpose: INVESTIGATION)');
  if (!PURPOSE.test(purpose)) throw refuse(400, 'PURPOSE_REQUIRED', 'X-Purpose must be one upper-case word such as INVESTIGATION or OFFENDER_MANAGEMENT');
  const roleDefs = ROLES as Record<string, { agency: string; purposes: readonly string[] }>;
  const held = user.roles.filter((r) => roleDefs[r]?.agency === user.agency);
  if (!held.length) throw refuse(403, 'FORBIDDEN', `None of the roles ${user.roles.join(', ')} is a role of agency ${user.agency}`);
  const justification = header(req, 'x-justification')?.trim() || null;
  if (justification && justification.length > 500) throw refuse(400, 'BAD_REQUEST', 'X-Justification must be at most 500 characters');
  const given = header(req, 'x-request-id');
  // The request id is always the gateway's own: a client-chosen one could collide with or impersonate another request in the audit trail.
  const claims: CallerClaims = { subject: user.subject, agency: user.agency, roles: held, purpose, justification, requestId: randomUUID(), staffCode: user.staffCode, relationships: NO_RELATIONSHIPS };
  const identified = { claims, user, clientRequestId: given && REQUEST_ID.test(given) ? given : null };
  if (!held.some((r) => roleDefs[r].purposes.includes(purpose))) {
    const allowed = [...new Set(held.flatMap((r) => roleDefs[r].purposes))].join(', ');
    // An attempt to consult is itself recorded: the gateway audits it as DENIED.
    throw withRefusalDetails(refuse(403, 'PURPOSE_NOT_PERMITTED', `${held.join(', ')} may not declare the purpose ${purpose}; declare one of: ${allowed}`), { caller: claims, clientRequestId: identified.clientRequestId, request: {} });
  }
  return identified;
}

/** The overall request deadline when none is configured (GATEWAY_REQUEST_DEADLINE_MS). */
export const DEFAULT_REQUEST_DEADLINE_MS = 8000;

export interface EdgeOptions {
  verify: TokenVerifier;
  /** One deadline for the whole request (ms from its arrival); every subgraph and agency timeout sits inside it. */
  deadlineMs?: number;
  signer: Signer;
  relationships?: RelationshipResolver;
  /** The API schema the limits are measured against (set once the gateway has loaded the supergraph). */
  schema: () => GraphQLSchema;
  limits: QueryLimits;
  trustedDocuments: TrustedDocuments;
  rateLimits: RateLimitGuard | null;
}

type Body = { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: Record<string, unknown> | null; documentId?: unknown };

/** The gateway's context function: everything above, in order; throws an HTTP refusal at the first failure. */
export function edgeContext(opts: EdgeOptions) {
  return async (req: IncomingMessage, request: { body: unknown }): Promise<GatewayContext> => {
    // Identifiers in URLs end up in proxy and access logs; and GET would bypass nothing we need. POST only.
    if (req.method !== 'POST') throw refuse(405, 'METHOD_NOT_ALLOWED', 'Send GraphQL requests as POST with an application/json body');
    const deadline = Date.now() + (opts.deadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS);
    const who = await identify(req, opts.verify);
    const body = request.body as Body | unknown[] | null;
    const sent = {
      query: !Array.isArray(body) && typeof body?.query === 'string' ? body.query : undefined,
      operationName: !Array.isArray(body) && typeof body?.operationName === 'string' ? body.operationName : null,
      variables: !Array.isArray(body) && body?.variables && typeof body.variables === 'object' ? body.variables as Record<string, unknown> : null,
    };
    const details: RefusalDetails = { caller: who.claims, clientRequestId: who.clientRequestId, request: sent };
    let subjectKeys: string[];
    try {
      await opts.rateLimits?.admitRequest(who.claims, who.claims.requestId);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new QueryRefused('BAD_REQUEST', 'batching', 'Send one operation per request as a JSON object (batches are not accepted)');
      const query = opts.trustedDocuments.resolve(body);
      details.request = { ...sent, query };
      subjectKeys = admitOperation(opts.schema(), { query, variables: sent.variables, operationName: sent.operationName }, opts.limits).subjectKeys;
      await opts.rateLimits?.admitSubjects(who.claims, subjectKeys, who.claims.requestId);
    } catch (err) {
      if (err instanceof QueryRefused) throw withRefusalDetails(err, details);
      throw err;
    }

    const rel = opts.relationships ? await opts.relationships({ ...who.claims, deadline }) : NO_RELATIONSHIPS;
    const caller: CallerClaims = { ...who.claims, relationships: rel };
    return {
      caller,
      requestId: caller.requestId,
      clientRequestId: who.clientRequestId,
      disclosures: [],
      deadline,
      assertionFor: (subgraph, binding) => signAssertion(opts.signer.key, opts.signer.kid, subgraph, caller, binding),
    };
  };
}

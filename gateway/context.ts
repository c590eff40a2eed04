// Authentication at the edge: the caller's bearer token is verified here and goes no further. What
// travels to the subgraphs is a signed assertion per subgraph, minted at most once per request.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { CryptoKey } from 'jose';
import { signAssertion, type CallerClaims } from '../auth/assertion.js';
import { TokenError, type TokenVerifier } from '../auth/tokens.js';
import { ROLES } from '../schema/policy/index.js';
import type { RelationshipResolver } from './relationships.js';
import type { DisclosureEntry } from '../subgraphs/disclosures.js';

export interface GatewayContext {
  caller: CallerClaims;
  requestId: string;
  /** What each subgraph reported it disclosed and withheld, gathered for the audit record. */
  disclosures: DisclosureEntry[];
  /** The assertion for one subgraph (audience = its name), signed once per request. */
  assertionFor(subgraph: string): Promise<string>;
}

const PURPOSE = /^[A-Z][A-Z_]{2,39}$/;
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

const refuse = (status: number, code: string, message: string) => new GraphQLError(message, { extensions: { code, http: { status } } });

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export interface Signer {
  key: CryptoKey;
  kid: string;
}

export async function authenticate(req: IncomingMessage, verify: TokenVerifier, signer: Signer, relationships?: RelationshipResolver): Promise<GatewayContext> {
  const auth = header(req, 'authorization');
  const m = auth ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/.exec(auth) : null;
  if (!m) throw refuse(401, 'UNAUTHENTICATED', 'Send Authorization: Bearer <token> (npm run token prints a development one)');
  let user;
  try {
    user = await verify(m[1]);
  } catch (err) {
    if (err instanceof TokenError) throw refuse(401, 'UNAUTHENTICATED', `Bearer token refused: ${err.message}`);
    throw err;
  }
  const purpose = header(req, 'x-purpose')?.trim();
  if (!purpose) throw refuse(400, 'PURPOSE_REQUIRED', 'Declare why you are asking: send an X-Purpose header (e.g. X-Purpose: INVESTIGATION)');
  if (!PURPOSE.test(purpose)) throw refuse(400, 'PURPOSE_REQUIRED', 'X-Purpose must be one upper-case word such as INVESTIGATION or OFFENDER_MANAGEMENT');
  // The purpose must be one the caller's roles may declare: refused here, before any agency is called.
  const roleDefs = ROLES as Record<string, { agency: string; purposes: readonly string[] }>;
  const held = user.roles.filter((r) => roleDefs[r]?.agency === user.agency);
  if (!held.length) throw refuse(403, 'FORBIDDEN', `None of the roles ${user.roles.join(', ')} is a role of agency ${user.agency}`);
  if (!held.some((r) => roleDefs[r].purposes.includes(purpose))) {
    const allowed = [...new Set(held.flatMap((r) => roleDefs[r].purposes))].join(', ');
    const err = refuse(403, 'PURPOSE_NOT_PERMITTED', `${held.join(', ')} may not declare the purpose ${purpose}; declare one of: ${allowed}`);
    // An attempt to consult is itself recorded: the gateway audits it as DENIED.
    const claims: CallerClaims = { subject: user.subject, agency: user.agency, roles: held, purpose, justification: header(req, 'x-justification')?.trim().slice(0, 500) || null, requestId: randomUUID(), staffCode: user.staffCode, relationships: { caseloadCrns: [], victimIds: [], victimCaseUrns: [], victimDefendantIds: [], unavailable: [] } };
    Object.defineProperty(err, 'refusedCaller', { value: claims, enumerable: false });
    throw err;
  }
  const justification = header(req, 'x-justification')?.trim() || null;
  if (justification && justification.length > 500) throw refuse(400, 'BAD_REQUEST', 'X-Justification must be at most 500 characters');
  const given = header(req, 'x-request-id');
  const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();

  const rel = relationships ? await relationships({ roles: held, staffCode: user.staffCode }) : { caseloadCrns: [], victimIds: [], victimCaseUrns: [], victimDefendantIds: [], unavailable: [] };
  const caller: CallerClaims = { subject: user.subject, agency: user.agency, roles: held, purpose, justification, requestId, staffCode: user.staffCode, relationships: rel };
  const signed = new Map<string, Promise<string>>();
  return {
    caller,
    requestId,
    disclosures: [],
    assertionFor(subgraph) {
      let p = signed.get(subgraph);
      if (!p) signed.set(subgraph, (p = signAssertion(signer.key, signer.kid, subgraph, caller)));
      return p;
    },
  };
}

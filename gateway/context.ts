// Authentication at the edge: the caller's bearer token is verified here and goes no further. What
// travels to the subgraphs is a signed assertion per subgraph, minted at most once per request.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { CryptoKey } from 'jose';
import { signAssertion, type CallerClaims } from '../auth/assertion.js';
import { TokenError, type TokenVerifier } from '../auth/tokens.js';

export interface GatewayContext {
  caller: CallerClaims;
  requestId: string;
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

export async function authenticate(req: IncomingMessage, verify: TokenVerifier, signer: Signer): Promise<GatewayContext> {
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
  const justification = header(req, 'x-justification')?.trim() || null;
  if (justification && justification.length > 500) throw refuse(400, 'BAD_REQUEST', 'X-Justification must be at most 500 characters');
  const given = header(req, 'x-request-id');
  const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();

  const caller: CallerClaims = { subject: user.subject, agency: user.agency, roles: user.roles, purpose, justification, requestId };
  const signed = new Map<string, Promise<string>>();
  return {
    caller,
    requestId,
    assertionFor(subgraph) {
      let p = signed.get(subgraph);
      if (!p) signed.set(subgraph, (p = signAssertion(signer.key, signer.kid, subgraph, caller)));
      return p;
    },
  };
}

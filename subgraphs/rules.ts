// The first, simple disclosure policy's building blocks: each caller sees basic identity fields, and
// the staff of an agency see that agency's own data. Every rule here reads nothing but the caller, so
// `contextual` caching (one decision per request) cannot leak a parent-dependent decision across list items.
import { GraphQLError } from 'graphql';
import { allow, rule } from 'graphql-shield';
import type { IRule } from 'graphql-shield';
import type { SubgraphContext } from './types.js';

/** What a denied field carries. FORBIDDEN only ever means "the policy said no", never "the source failed". */
export const forbidden = (reason = 'NOT_PERMITTED') =>
  new GraphQLError('Not authorised to see this field', { extensions: { code: 'FORBIDDEN', reason } });

/** Any caller the gateway vouched for (the harness has already refused requests without a valid assertion). */
export const isAnyCaller = rule('isAnyCaller', { cache: 'contextual' })((_parent, _args, ctx: SubgraphContext) =>
  ctx.caller != null && typeof ctx.caller.subject === 'string' ? true : forbidden('UNAUTHENTICATED'),
);

const agencyRules = new Map<string, IRule>();
/**
 * Staff of any of the given agencies (the caller's `agency` claim). One named rule per distinct set,
 * so shield's per-request cache keys never collide.
 */
export function isFromAgency(...agencies: string[]): IRule {
  const key = [...new Set(agencies)].sort().join('_');
  let r = agencyRules.get(key);
  if (!r) {
    const allowed = new Set(agencies);
    r = rule(`isFromAgency_${key}`, { cache: 'contextual' })((_p, _a, ctx: SubgraphContext) =>
      allowed.has(ctx.caller?.agency) ? true : forbidden('NOT_PERMITTED_FOR_AGENCY'),
    );
    agencyRules.set(key, r);
  }
  return r;
}

/** Fields of the shared value types (PersonName, Address, ...) inherit the decision made on the field that returned them. */
export const inheritsParentDecision = allow;

// Probation resolvers. The Person reference fetches nothing; each field decodes the person's CRNs
// from the key and loads through the per-request loaders, so a query over many people makes one
// batch call per kind of data. A person without a probation record gets null.
import type { GraphQLResolveInfo } from 'graphql';
import { AdapterError } from '../../adapters/errors.js';
import type { ProbationRecord } from '../../adapters/probation/mapping.js';
import { localIdsFor } from '../../schema/person-id.js';
import { ownIdentifier, recordedIdentifier } from '../../schema/model.js';
import { pageOf } from '../paging.js';
import type { SubgraphContext } from '../types.js';
import type { ProbationLoaders } from './loaders.js';

type Ctx = SubgraphContext<ProbationLoaders>;

/** What this caller may see of a limited-access case, as the policy reads it (RecordFacts.restricted / excluded). */
export interface CallerAccess { restricted: boolean; excluded: boolean }
/** A probation record as this request's caller reaches it: with nDelius's answer for that caller. */
export type ProbationView = ProbationRecord & { access: CallerAccess };

/**
 * Limited access is per user in nDelius: a case marked excluded excludes named users, a restricted one
 * is open only to named users. For a probation user (their nDelius username is the caller's subject) a
 * marked case is checked against POST /probation-cases/access, batched per wave. Anyone else, or when
 * the check cannot be made, gets the case's own marks: withheld (fail closed). An unmarked case needs no call.
 */
async function accessFor(r: ProbationRecord, ctx: Ctx): Promise<CallerAccess> {
  if (!r.restricted && !r.excluded) return { restricted: false, excluded: false };
  const caseLevel = { restricted: r.restricted || r.excluded, excluded: r.excluded };
  const username = ctx.caller.agency === 'PROBATION' && !ctx.caller.actor ? ctx.caller.subject : null;
  if (!username) return caseLevel;
  try {
    const a = await ctx.loaders.accessFor(username).load(r.crn);
    return { restricted: a.userRestricted, excluded: a.userExcluded };
  } catch (err) {
    ctx.log.warn({ err, crn: r.crn }, 'probation access check failed; the case is withheld as marked');
    return caseLevel;
  }
}

/** The person's first linked probation record that the service has (a person rarely has two CRNs), with the caller's access to it. */
async function recordFor(person: { id: string }, ctx: Ctx): Promise<ProbationView | null> {
  const crns = localIdsFor(person.id, 'probation');
  if (crns.length === 0) return null;
  const results = await ctx.loaders.recordByCrn.loadMany(crns);
  const found = results.find((r): r is ProbationRecord => r != null && !(r instanceof Error));
  if (found) return { ...found, access: await accessFor(found, ctx) };
  const failure = results.find((r) => r instanceof Error);
  if (failure) throw failure;
  return null;
}

/** Supervision fields that come from other calls than the offender record, and the loader of each. */
const SUPERVISION_BATCH: Record<string, 'supervisionByCrn' | 'conditionsByCrn'> = {
  registrations: 'supervisionByCrn', requirements: 'conditionsByCrn', licenceConditions: 'conditionsByCrn',
};

/**
 * The CRN is in the person id, so when the query asks for supervision detail it is fetched in the same
 * wave as the record, not after it (one legacy wave instead of two).
 */
function prefetchSupervision(person: { id: string }, ctx: Ctx, info: GraphQLResolveInfo): void {
  const wanted = new Set(info.fieldNodes.flatMap((n) => n.selectionSet?.selections ?? [])
    .flatMap((s) => (s.kind === 'Field' && SUPERVISION_BATCH[s.name.value] ? [SUPERVISION_BATCH[s.name.value]] : [])));
  if (!wanted.size) return;
  let crns: string[];
  try { crns = localIdsFor(person.id, 'probation'); } catch { return; } // recordFor reports it
  // Errors surface from the fields that read the batch; this early call only starts it.
  for (const loader of wanted) for (const crn of crns) ctx.loaders[loader].load(crn).catch(() => undefined);
}

/** A per-case load that failed as a whole (e.g. the case's supervisions call) fails its field only. */
function listOf<T>(value: T | Error | null | undefined, pick: (v: T) => unknown[]): unknown[] {
  if (value instanceof Error) throw value;
  return value == null ? [] : pick(value);
}

/**
 * The caller's caseload as the gateway established it for this request, from nDelius through this
 * subgraph's own `_caseload` (signed into the caller's assertion). Paging that answer rather than asking
 * again costs no second legacy call, and the list is by construction exactly the set of cases ON_CASELOAD
 * holds for: no item of the page can be one the policy then treats as someone else's.
 */
function caseloadOf(ctx: Ctx): string[] {
  const rel = ctx.caller.relationships;
  if (rel.unavailable.includes('probation')) {
    throw new AdapterError({ agency: 'probation', operation: 'caseload', code: 'SOURCE_UNAVAILABLE', message: 'probation system could not list the caseload' });
  }
  return rel.caseloadCrns.map((c) => c.trim().toUpperCase());
}

export const resolvers = {
  Query: {
    myCaseload(_: unknown, args: { first?: number | null; after?: string | null }, ctx: Ctx) {
      const page = pageOf(caseloadOf(ctx), args);
      return { items: page.keys.map((crn) => ({ agency: 'PROBATION', localId: crn })), totalCount: page.totalCount, nextCursor: page.nextCursor };
    },
  },
  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    // Supervision's own fields (crn, offenderManager, restricted, excluded, officerNotes) are on the record.
    supervision: (person: { id: string }, _args: unknown, ctx: Ctx, info: GraphQLResolveInfo) => {
      prefetchSupervision(person, ctx, info);
      return recordFor(person, ctx);
    },
    probationRecord: (person: { id: string }, _args: unknown, ctx: Ctx) => recordFor(person, ctx),
  },
  Supervision: {
    registrations: async (s: ProbationRecord, _args: unknown, ctx: Ctx) => listOf(await ctx.loaders.supervisionByCrn.load(s.crn), (d) => d.registrations),
    requirements: async (s: ProbationRecord, _args: unknown, ctx: Ctx) => listOf(await ctx.loaders.conditionsByCrn.load(s.crn), (d) => d.requirements),
    licenceConditions: async (s: ProbationRecord, _args: unknown, ctx: Ctx) => listOf(await ctx.loaders.conditionsByCrn.load(s.crn), (d) => d.licenceConditions),
  },
  ProbationOffenderRecord: {
    offenderId: (r: ProbationRecord) => r.offenderId,
    pnc: (r: ProbationRecord) => recordedIdentifier('PNC', r.pnc),
    cro: (r: ProbationRecord) => recordedIdentifier('CRO', r.cro),
    identifiers: (r: ProbationRecord) => [ownIdentifier('CRN', r.crn),
      ...(r.pnc.raw !== null ? [recordedIdentifier('PNC', r.pnc)] : []), ...(r.cro.raw !== null ? [recordedIdentifier('CRO', r.cro)] : []),
      ...(r.nomsNumber ? [ownIdentifier('PRISON_NUMBER', r.nomsNumber)] : [])],
  },
};

// Probation resolvers. The Person reference fetches nothing; each field decodes the person's CRNs
// from the key and loads through the per-request loaders, so a query over many people makes one
// batch call per kind of data. A person without a probation record gets null.
import type { GraphQLResolveInfo } from 'graphql';
import type { ProbationRecord } from '../../adapters/probation/mapping.js';
import { localIdsFor } from '../../schema/person-id.js';
import type { SubgraphContext } from '../types.js';
import type { ProbationLoaders } from './loaders.js';

type Ctx = SubgraphContext<ProbationLoaders>;

/** The person's first linked probation record that the service has (a person rarely has two CRNs). */
async function recordFor(person: { id: string }, ctx: Ctx): Promise<ProbationRecord | null> {
  const crns = localIdsFor(person.id, 'probation');
  if (crns.length === 0) return null;
  const results = await ctx.loaders.recordByCrn.loadMany(crns);
  const found = results.find((r): r is ProbationRecord => r != null && !(r instanceof Error));
  if (found) return found;
  const failure = results.find((r) => r instanceof Error);
  if (failure) throw failure;
  return null;
}

/** Supervision fields that come from the supervision batch rather than the offender record. */
const SUPERVISION_BATCH = new Set(['registrations', 'requirements', 'licenceConditions']);

/**
 * The CRN is in the person id, so when the query asks for supervision detail it is fetched in the same
 * wave as the record, not after it (one legacy wave instead of two).
 */
function prefetchSupervision(person: { id: string }, ctx: Ctx, info: GraphQLResolveInfo): void {
  const wanted = info.fieldNodes.some((n) => n.selectionSet?.selections.some((s) => s.kind === 'Field' && SUPERVISION_BATCH.has(s.name.value)));
  if (!wanted) return;
  let crns: string[];
  try { crns = localIdsFor(person.id, 'probation'); } catch { return; } // recordFor reports it
  // Errors surface from the fields that read the batch; this early call only starts it.
  for (const crn of crns) ctx.loaders.supervisionByCrn.load(crn).catch(() => undefined);
}

export const resolvers = {
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
    registrations: async (s: ProbationRecord, _args: unknown, ctx: Ctx) => (await ctx.loaders.supervisionByCrn.load(s.crn))?.registrations ?? [],
    requirements: async (s: ProbationRecord, _args: unknown, ctx: Ctx) => (await ctx.loaders.supervisionByCrn.load(s.crn))?.requirements ?? [],
    licenceConditions: async (s: ProbationRecord, _args: unknown, ctx: Ctx) => (await ctx.loaders.supervisionByCrn.load(s.crn))?.licenceConditions ?? [],
  },
  ProbationOffenderRecord: {
    offenderId: (r: ProbationRecord) => r.offenderId,
    pnc: (r: ProbationRecord) => ({ recorded: r.pnc.raw, normalised: r.pnc.value, valid: r.pnc.valid }),
    cro: (r: ProbationRecord) => ({ recorded: r.cro.raw, normalised: r.cro.value, valid: r.cro.valid }),
  },
};

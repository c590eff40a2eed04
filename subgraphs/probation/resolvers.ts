// Probation resolvers. The Person reference fetches nothing; each field decodes the person's CRNs
// from the key and loads through the per-request loaders, so a query over many people makes one
// batch call per kind of data. A person without a probation record gets null.
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

export const resolvers = {
  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    // Supervision's own fields (crn, offenderManager, restricted, excluded, officerNotes) are on the record.
    supervision: (person: { id: string }, _args: unknown, ctx: Ctx) => recordFor(person, ctx),
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

// Police fields of Person. __resolveReference fetches nothing; each field decodes the person key to
// its police nominal ids and loads through the request's DataLoaders, so a list of people costs one
// query per table. Adapter errors are thrown (whole field) or returned in place (one list item).
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type DataLoader from 'dataloader';
import { localIdsFor } from '../../schema/person-id.js';
import type { Arrest, PoliceNominal } from '../../adapters/police/mapping.js';
import { ownIdentifier, recordedIdentifier, type Provenance } from '../../schema/model.js';
import { AdapterError } from '../../adapters/errors.js';
import { since } from '../events.js';
import type { SubgraphContext } from '../types.js';
import type { PoliceLoaders } from './loaders.js';

type Ctx = SubgraphContext<PoliceLoaders>;
interface PersonRef { id: string }

const nominalIds = (person: PersonRef) => localIdsFor(person.id, 'police');

/** All items for the person's nominal ids, in order; a failed load (the source is down) fails the field. */
async function listFor<V>(loader: DataLoader<string, V[]>, person: PersonRef): Promise<V[]> {
  const ids = nominalIds(person);
  if (ids.length === 0) return [];
  const lists = await loader.loadMany(ids);
  const failed = lists.find((l): l is Error => l instanceof Error);
  if (failed) throw failed;
  return (lists as V[][]).flat();
}

const OUTCOME: Record<Arrest['outcome'], string> = {
  CHARGED: 'charged', NO_FURTHER_ACTION: 'no further action', CAUTIONED: 'cautioned', RELEASED_UNDER_INVESTIGATION: 'released under investigation',
};

/**
 * An arrest as an event: codes and register titles only, never free text the police typed. Its reference is
 * the arrest's own id, not the case it led to: a court case's URN in a list of events would tell that the
 * case exists where the courts' list leaves it out (a youth case).
 */
const arrestEvent = (a: Arrest & { provenance?: Provenance }) => ({
  date: a.date, kind: 'ARREST' as const, offence: a.offence,
  summary: `Arrested: ${a.offence?.title ?? a.offence?.code ?? 'offence not recorded'} (${OUTCOME[a.outcome] ?? a.outcome})`,
  reference: a.id,
  // The arrest's own provenance, derived: the event is a line made from the arrest record.
  provenance: a.provenance ? { ...a.provenance, derivedBy: 'an arrest as a worklist event (codes and register titles only)' } : null,
});

export const resolvers: GraphQLResolverMap<Ctx> = {
  Person: {
    __resolveReference: (ref: PersonRef) => ({ id: ref.id }),
    // A person linked to more than one nominal shows the first; all their arrests and markers are listed.
    policeNominal: async (person: PersonRef, _args: unknown, ctx: Ctx) => {
      for (const id of nominalIds(person)) {
        const nominal = await ctx.loaders.nominal.load(id);
        if (nominal) return nominal;
      }
      return null;
    },
    arrests: (person: PersonRef, _args: unknown, ctx: Ctx) => listFor(ctx.loaders.arrests, person),
    warningMarkers: (person: PersonRef, _args: unknown, ctx: Ctx) => listFor(ctx.loaders.warningMarkers, person),
    policeEvents: async (person: PersonRef, args: { since: string }, ctx: Ctx) =>
      since((await listFor(ctx.loaders.arrests, person)).filter((a): a is Arrest => a != null && !(a instanceof AdapterError)).map(arrestEvent), args.since),
    intelligenceFlags: (person: PersonRef, _args: unknown, ctx: Ctx) => listFor(ctx.loaders.intelligenceFlags, person),
  },
  PoliceNominalRecord: {
    pnc: (n: PoliceNominal) => recordedIdentifier('PNC', n.pnc),
    cro: (n: PoliceNominal) => recordedIdentifier('CRO', n.cro),
    identifiers: (n: PoliceNominal) => [ownIdentifier('POLICE_NOMINAL_ID', n.nominalId),
      ...(n.pnc.raw !== null ? [recordedIdentifier('PNC', n.pnc)] : []), ...(n.cro.raw !== null ? [recordedIdentifier('CRO', n.cro)] : [])],
  },
};

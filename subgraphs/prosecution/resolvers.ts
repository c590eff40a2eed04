// Prosecution resolvers. People and cases are found through the per-request loader, so a page of people
// or cases costs one case-management search per wave, whatever its size.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { AdapterError } from '../../adapters/errors.js';
import { caseFileKey } from '../../adapters/prosecution/client.js';
import type { ProsecutionCaseFile } from '../../adapters/prosecution/mapping.js';
import { localIdsFor } from '../../schema/person-id.js';
import type { SubgraphContext } from '../types.js';
import type { ProsecutionLoaders } from './loaders.js';

type Ctx = SubgraphContext<ProsecutionLoaders>;
type PersonRef = { id: string };

/**
 * The agencies whose own record ids are ASNs, from the capabilities the registry's modules declare
 * (`localIdType`): a person key's parts from them are the person's ASNs, the key the prosecution's case
 * files share with the courts. Read once, on first use (every module is loaded by then).
 */
let asnAgencies: Promise<string[]> | null = null;
const agenciesKeyedByAsn = () => (asnAgencies ??= import('../index.js')
  .then(({ loadSubgraphs, SUBGRAPH_NAMES }) => loadSubgraphs(SUBGRAPH_NAMES.filter((n) => n !== 'prosecution')))
  .then((modules) => modules.filter((m) => m.agency && m.localIdType === 'ASN').map((m) => m.name)));

const firstCharge = (f: ProsecutionCaseFile | AdapterError) =>
  (f instanceof AdapterError ? '9999' : f.defendants.flatMap((d) => d.charges.map((c) => c.chargeDate ?? '9999')).sort()[0] ?? '9999');

/** The case file of one URN, or null; an unreadable one fails the field with BAD_SOURCE_DATA. */
async function byUrn(urn: string, ctx: Ctx): Promise<ProsecutionCaseFile | null> {
  const files = await ctx.loaders.byKey.load(caseFileKey('URN', urn)!);
  const file = files[0] ?? null;
  if (file instanceof AdapterError) throw file;
  return file;
}

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    prosecutionCase: (_: unknown, args: { urn: string }, ctx: Ctx) => byUrn(args.urn, ctx),
  },
  Person: {
    __resolveReference: (ref: PersonRef) => ref,
    async prosecutionCases(person: PersonRef, _: unknown, ctx: Ctx) {
      // The person's ASNs, from the key itself: no wave waits on it. An agency holding ASNs that could not
      // be consulted when the person was linked makes the list unknown (localIdsFor throws, naming it).
      const asns = (await agenciesKeyedByAsn()).flatMap((agency) => localIdsFor(person.id, agency));
      const keys = asns.map((a) => caseFileKey('ASN', a)).filter((k): k is string => k !== null);
      if (!keys.length) return [];
      const lists = await ctx.loaders.byKey.loadMany(keys);
      // An Error here is the call itself failing (system down, timeout): the whole field fails.
      const failed = lists.find((l): l is Error => l instanceof Error);
      if (failed) throw failed;
      const seen = new Set<string>();
      const files: (ProsecutionCaseFile | AdapterError)[] = [];
      for (const f of (lists as (ProsecutionCaseFile | AdapterError)[][]).flat()) {
        const id = f instanceof AdapterError ? `bad:${f.message}` : f.urn;
        if (!seen.has(id)) { seen.add(id); files.push(f); }
      }
      // Unreadable files stay in the list as errors (null at their index with BAD_SOURCE_DATA), last.
      return files.sort((a, b) => firstCharge(a).localeCompare(firstCharge(b)));
    },
  },
  Case: {
    // A case the prosecution does not hold: `prosecution` is null.
    __resolveReference: async (ref: { urn: string }, ctx: Ctx) => ({ urn: ref.urn, file: await byUrn(ref.urn, ctx) }),
    prosecution: (c: { file?: ProsecutionCaseFile | null }) => c.file ?? null,
  },
};

// The registry: the one list of subgraphs. Gateway wiring, `npm start`, health, composition, the
// Agency enum (subgraphs/agencies.ts), the policy tables (schema/policy/index.ts) and the policy
// coverage check all iterate it. Adding an agency: `npm run new-agency -- <slug>` writes
// adapters/<slug>/, subgraphs/<slug>/, legacy/<slug>/ (its stand-in), schema/policy/fields/<slug>.ts and
// test skeletons, and adds the slug here; `npm run conformance -- <slug>` checks it before it joins.
import type { SubgraphModule } from './types.js';

export const SUBGRAPH_NAMES = [
  'identity',
  'police',
  'courts',
  'prisons',
  'probation',
  'victims',
  'prosecution',
  'audit',
] as const;

const REQUIRED: (keyof SubgraphModule)[] = ['name', 'typeDefs', 'resolvers', 'createClient', 'createLoaders'];

/** Loads subgraph modules by slug and checks each one fulfils the contract, naming what is missing. */
export async function loadSubgraphs(names: readonly string[] = SUBGRAPH_NAMES): Promise<SubgraphModule[]> {
  const modules: SubgraphModule[] = [];
  for (const name of names) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`subgraph name must be a lower-case slug, got "${name}"`);
    let mod: { default?: SubgraphModule };
    try {
      mod = await import(`./${name}/index.ts`);
    } catch (err) {
      throw new Error(`subgraph "${name}" could not be loaded from subgraphs/${name}/index.ts: ${(err as Error).message}`);
    }
    const m = mod.default;
    if (!m) throw new Error(`subgraphs/${name}/index.ts must export default a SubgraphModule`);
    const missing = REQUIRED.filter((k) => m[k] == null);
    if (missing.length) throw new Error(`subgraph "${name}" is missing ${missing.join(', ')} (see subgraphs/types.ts)`);
    if (m.name !== name) throw new Error(`subgraphs/${name}/index.ts declares name "${m.name}"; the registry slug and the module name must match`);
    // The Agency enum value is the slug upper-cased: links, provenance and the identity subgraph name the agency by it.
    const value = name.toUpperCase().replace(/-/g, '_');
    if (m.agency != null && m.agency !== value) throw new Error(`subgraphs/${name}/index.ts declares agency "${m.agency}"; an agency module's agency is its slug upper-cased, "${value}"`);
    modules.push(m);
  }
  return modules;
}

// The `Agency` enum of the common model, derived from the registry: one value per agency module, its
// `agency` (the slug upper-cased), described by the module's own description. The harness adds it to
// every subgraph's SDL, so every subgraph declares the same values and a new agency needs no edit of
// schema/common.graphql. Core subgraphs (identity, audit) declare no agency of their own.
import { loadSubgraphs, SUBGRAPH_NAMES } from './index.js';
import type { SubgraphModule } from './types.js';

/** The enum value of an agency slug: `prosecution` → `PROSECUTION`, `youth-justice` → `YOUTH_JUSTICE`. */
export const agencyValueOf = (slug: string): string => slug.toUpperCase().replace(/-/g, '_');

/** The SDL of the Agency enum for these modules, in registry order. */
export function agencyEnumSdl(modules: readonly Pick<SubgraphModule, 'agency' | 'description'>[]): string {
  const values = modules.filter((m) => m.agency).map((m) => `  ${JSON.stringify(m.description)}\n  ${m.agency}`);
  if (!values.length) throw new Error('the registry holds no agency: the Agency enum would be empty');
  return `"The agencies whose systems the graph joins, one per agency subgraph of the registry (subgraphs/index.ts). Errors name the agency in \`extensions.agency\` by its subgraph name, these values in lower case."\nenum Agency {\n${values.join('\n')}\n}\n`;
}

/** The registry's Agency enum, read once. */
export const REGISTRY_AGENCY_SDL = agencyEnumSdl(await loadSubgraphs(SUBGRAPH_NAMES));

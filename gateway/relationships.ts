// Establishes, once per request, the caller's relationships that record-level rules key on: the
// people an offender manager supervises, and a victim liaison officer's victims, their cases and
// those cases' defendants. Asked of the agencies' own subgraphs through their internal fields, signed
// as the gateway (the gateway holds no agency's credentials); which subgraph answers which fact comes
// from the capabilities the registry's modules declare. An agency that cannot answer is named in
// `unavailable`, so rules depending on it report an outage, not a denial.
import type { CallerClaims } from '../auth/assertion.js';
import { callInternal, type ServiceSigner } from '../subgraphs/internal.js';
import type { RelationshipFact as Fact, Relationships, SubgraphModule } from '../subgraphs/types.js';
import { NO_RELATIONSHIPS } from '../subgraphs/types.js';

/** The caller as authenticated, before relationships are known; `deadline` is the request's. */
export type RelationshipResolver = (caller: Omit<CallerClaims, 'relationships'> & { deadline?: number | null }) => Promise<Relationships>;


export interface RelationshipOptions {
  /** Where each subgraph answers, by name. */
  urls: Record<string, string>;
  /** The gateway's own key: relationship facts are asked as the gateway, never as a client. */
  signer: ServiceSigner;
  /** Upper bound on one fact's call (the request deadline cuts it shorter). */
  timeoutMs?: number;
}

export function createRelationshipResolver(modules: Pick<SubgraphModule, 'name' | 'relationships'>[], opts: RelationshipOptions): RelationshipResolver {
  const owner = (fact: Fact) => modules.find((m) => m.relationships?.[fact] && opts.urls[m.name])?.name ?? null;
  const caseload = owner('caseload');
  const victims = owner('victimsOfOfficer');
  const defendants = owner('defendantsOfCases');
  const sources: Relationships['sources'] = {
    ...(caseload ? { caseload } : {}), ...(victims ? { victimsOfOfficer: victims } : {}), ...(defendants ? { defendantsOfCases: defendants } : {}),
  };

  return async (who) => {
    const { staffCode, roles } = who;
    if (!staffCode) return NO_RELATIONSHIPS;
    const caller: CallerClaims = { ...who, relationships: NO_RELATIONSHIPS };
    const ask = <T>(subgraph: string, field: string, args: string, variables: Record<string, unknown>, selection = '') =>
      callInternal<T>({ subgraph, url: opts.urls[subgraph], signer: opts.signer, caller, deadline: who.deadline ?? null, timeoutMs: opts.timeoutMs ?? 3000,
        query: `query Fact(${args}) { ${field}(${Object.keys(variables).map((k) => `${k}: $${k}`).join(', ')})${selection} }`, variables }, field);
    const rel: Relationships = { caseloadCrns: [], victimIds: [], victimCaseUrns: [], victimDefendantIds: [], unavailable: [], sources };
    const tasks: Promise<void>[] = [];
    if (roles.includes('PROBATION_OFFICER')) {
      tasks.push((async () => {
        if (!caseload) { rel.unavailable.push('caseload'); return; }
        try { rel.caseloadCrns = await ask<string[]>(caseload, '_caseload', '$staffCode: String!', { staffCode }); }
        catch { rel.unavailable.push(caseload); }
      })());
    }
    if (roles.includes('VICTIM_LIAISON_OFFICER')) {
      tasks.push((async () => {
        if (!victims) { rel.unavailable.push('victimsOfOfficer'); return; }
        try {
          const mine = await ask<{ victimId: string; caseUrn: string }[]>(victims, '_victimsOfOfficer', '$staffCode: String!', { staffCode }, ' { victimId caseUrn }');
          rel.victimIds = mine.map((v) => v.victimId);
          rel.victimCaseUrns = [...new Set(mine.map((v) => v.caseUrn))];
        } catch { rel.unavailable.push(victims); return; }
        if (!rel.victimCaseUrns.length) return;
        if (!defendants) { rel.unavailable.push('defendantsOfCases'); return; }
        try { rel.victimDefendantIds = await ask<string[]>(defendants, '_defendantsOfCases', '$urns: [String!]!', { urns: rel.victimCaseUrns }); }
        catch { rel.unavailable.push(defendants); }
      })());
    }
    await Promise.all(tasks);
    return rel;
  };
}

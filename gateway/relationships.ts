// Establishes, once per request, the caller's relationships that record-level rules key on: the
// people an offender manager supervises, and a victim liaison officer's victims, their cases and
// those cases' defendants. Asked of the agencies' own systems through their adapters; an agency that
// cannot answer is named in `unavailable`, so rules depending on it report an outage, not a denial.
import type { Relationships, SubgraphModule } from '../subgraphs/types.js';
import { NO_RELATIONSHIPS } from '../subgraphs/types.js';

export type RelationshipResolver = (caller: { roles: string[]; staffCode: string | null }) => Promise<Relationships>;

export function createRelationshipResolver(modules: SubgraphModule[], clients: Map<string, unknown>): RelationshipResolver {
  const find = <K extends 'caseload' | 'victimsOfOfficer' | 'defendantsOfCases'>(k: K) => {
    const m = modules.find((x) => x.relationships?.[k] && clients.has(x.name));
    return m ? { name: m.name, call: m.relationships![k] as (...args: never[]) => Promise<unknown>, client: clients.get(m.name) } : null;
  };
  const caseload = find('caseload');
  const victims = find('victimsOfOfficer');
  const defendants = find('defendantsOfCases');

  return async ({ roles, staffCode }) => {
    if (!staffCode) return NO_RELATIONSHIPS;
    const rel: Relationships = { caseloadCrns: [], victimIds: [], victimCaseUrns: [], victimDefendantIds: [], unavailable: [] };
    const tasks: Promise<void>[] = [];
    if (roles.includes('PROBATION_OFFICER')) {
      tasks.push((async () => {
        if (!caseload) { rel.unavailable.push('probation'); return; }
        try { rel.caseloadCrns = await (caseload.call as (c: unknown, s: string) => Promise<string[]>)(caseload.client, staffCode); }
        catch { rel.unavailable.push(caseload.name); }
      })());
    }
    if (roles.includes('VICTIM_LIAISON_OFFICER')) {
      tasks.push((async () => {
        if (!victims) { rel.unavailable.push('victims'); return; }
        try {
          const mine = await (victims.call as (c: unknown, s: string) => Promise<{ victimId: string; caseUrn: string }[]>)(victims.client, staffCode);
          rel.victimIds = mine.map((v) => v.victimId);
          rel.victimCaseUrns = [...new Set(mine.map((v) => v.caseUrn))];
        } catch { rel.unavailable.push(victims.name); return; }
        if (!rel.victimCaseUrns.length) return;
        if (!defendants) { rel.unavailable.push('courts'); return; }
        try { rel.victimDefendantIds = await (defendants.call as (c: unknown, u: string[]) => Promise<string[]>)(defendants.client, rel.victimCaseUrns); }
        catch { rel.unavailable.push(defendants.name); }
      })());
    }
    await Promise.all(tasks);
    return rel;
  };
}

// Counting what a request costs the agencies' legacy systems, from the stand-ins' own request logs:
// calls per agency, and legacy waves in series (the critical path of the request).
import { readFileSync } from 'node:fs';
import type { Stack } from '../../platform/stack.js';

/** The README's example query, read from the README itself so the two cannot drift apart. */
export function readmeQuery(): string {
  return readmeBlock('example-query');
}

/** A query block of the README marked `<!-- name -->` (`caseload-query`, `victims-query`): what its users paste. */
export function readmeBlock(name: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const m = new RegExp(`<!-- ${name} -->\\s*\`\`\`graphql\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README.md has no query block marked <!-- ${name} -->`);
  return m[1];
}

/** The person selection of the README example (inside the braces), for asking about many people at once. */
export function readmeSelection(): string {
  const m = /personByIdentifier\(type: PNC, value: \$pnc\) \{([\s\S]*)\}\s*\}\s*$/.exec(readmeQuery().trim());
  if (!m) throw new Error('the README example query no longer asks personByIdentifier(type: PNC, value: $pnc) { ... }');
  return m[1];
}

/** Operations that are not a question about people (an OAuth token fetch is cached across requests). */
const OVERHEAD = /oauth\/token/i;

/** Legacy calls per agency since the last reset, without token fetches. */
export function callsPerAgency(stack: Stack): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [agency, s] of stack.standIns) out[agency] = s.requests.entries().filter((e) => !OVERHEAD.test(e.operation)).length;
  return out;
}

export function resetCounts(stack: Stack): void {
  for (const s of stack.standIns.values()) s.requests.reset();
}

/**
 * Legacy waves in series: with `latencyMs` injected on every system, a call that depends on another's
 * answer arrives at least `latencyMs` after it. The longest chain of arrivals each at least that far
 * apart is the number of waves on the critical path (greedy earliest-next gives the longest such chain).
 */
export function waves(stack: Stack, latencyMs: number): { waves: number; chain: string[] } {
  const all = [...stack.standIns].flatMap(([agency, s]) => s.requests.entries().filter((e) => !OVERHEAD.test(e.operation)).map((e) => ({ ...e, agency })))
    .sort((a, b) => a.at - b.at);
  const chain: string[] = [];
  let last = -Infinity;
  for (const e of all) {
    if (e.at >= last + latencyMs * 0.9) { chain.push(`${e.agency}:${e.operation}`); last = e.at; }
  }
  return { waves: chain.length, chain };
}

/** A query asking for `n` people by PNC in one request, one alias each. */
export function aliasesQuery(pncs: string[], selection = 'id'): string {
  return `{ ${pncs.map((p, i) => `p${i}: personByIdentifier(type: PNC, value: ${JSON.stringify(p)}) { ${selection} }`).join(' ')} }`;
}

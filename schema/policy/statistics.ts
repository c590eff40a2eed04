// Statistical disclosure control as policy data: what an aggregate may show once it leaves the
// subgraph that computed it. The security team and the statistics head of profession own these numbers;
// the algorithm that applies them is platform/sdc.ts, and every aggregate field names the rule it is
// released under, so the matrix shows which rule guards which field.

export interface DisclosureControlRule {
  /** What the rule is, for the reviewer and the matrix. */
  description: string;
  /** A cell (or total) counting fewer than this is suppressed ("primary suppression"); zero counts too. */
  threshold: number;
  /** Shown counts are rounded to the nearest multiple of this (1: shown as counted). At most `threshold`. */
  roundTo: number;
  /**
   * Secondary (complementary) suppression: more cells are suppressed until no suppressed cell can be
   * worked out from the cells and totals shown, by subtraction or any sum of rows and columns.
   * `NOT_RECOVERABLE` is the only rule so far; a table that cannot meet it is not released.
   */
  secondary: 'NOT_RECOVERABLE';
}

export const DISCLOSURE_CONTROL = {
  'SDC-STANDARD': {
    description: 'Counts about people: cells and totals under 5 suppressed (zero included), then complementary cells until none can be recovered from the totals shown',
    threshold: 5,
    roundTo: 1,
    secondary: 'NOT_RECOVERABLE',
  },
} as const satisfies Record<string, DisclosureControlRule>;
export type DisclosureControlId = keyof typeof DISCLOSURE_CONTROL;

/**
 * The rule each aggregate field is released under, by subgraph and `Type.field`. A field listed here
 * returns counts about people; the subgraph applies the rule before answering, whoever asks.
 */
export const AGGREGATE_FIELDS: Record<string, Record<string, DisclosureControlId>> = {
  courts: { 'Query.courtStatistics': 'SDC-STANDARD' },
  prisons: { 'Query.remandPopulation': 'SDC-STANDARD' },
};

/** Every problem with the rules (empty when sound): checked with the rest of the policy. */
export function checkDisclosureControl(rules: Record<string, DisclosureControlRule> = DISCLOSURE_CONTROL, fields = AGGREGATE_FIELDS): string[] {
  const problems: string[] = [];
  for (const [id, r] of Object.entries(rules)) {
    if (!Number.isInteger(r.threshold) || r.threshold < 1) problems.push(`disclosure control ${id}: threshold must be a whole number of at least 1`);
    if (!Number.isInteger(r.roundTo) || r.roundTo < 1 || r.roundTo > r.threshold) problems.push(`disclosure control ${id}: roundTo must be from 1 to the threshold`);
  }
  for (const [subgraph, table] of Object.entries(fields)) {
    for (const [coordinate, id] of Object.entries(table)) if (!(id in rules)) problems.push(`${subgraph} ${coordinate}: unknown disclosure control rule "${id}"`);
  }
  return problems;
}

/** The rule a subgraph's aggregate field is released under; throws when the policy names none. */
export function disclosureControlFor(subgraph: string, coordinate: string): DisclosureControlRule & { id: DisclosureControlId } {
  const id = AGGREGATE_FIELDS[subgraph]?.[coordinate];
  if (!id) throw new Error(`no disclosure control rule for ${subgraph} ${coordinate} in schema/policy/statistics.ts`);
  return { id, ...DISCLOSURE_CONTROL[id] };
}

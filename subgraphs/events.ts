// What happened to a person since a date, as each agency's subgraph lists it from its own records
// (`policeEvents`, `courtEvents`). Each agency answers only for its own facts, from the loaders its other
// fields use, so a page of people costs that agency no call beyond the batch it makes anyway; the client
// merges the agencies' lists by `date` (each is newest first already).

export type PersonEventKind = 'ARREST' | 'CHARGE' | 'HEARING' | 'FINDING';

export interface PersonEvent {
  date: string;
  kind: PersonEventKind;
  summary: string;
  reference: string | null;
}

/** Events on or after `since` (a `YYYY-MM-DD` date), newest first; ties keep the agency's own order. */
export function since<E extends PersonEvent>(events: readonly E[], from: string): E[] {
  return events.filter((e) => e.date >= from).map((e, i) => [e, i] as const)
    .sort(([a, i], [b, j]) => b.date.localeCompare(a.date) || i - j).map(([e]) => e);
}

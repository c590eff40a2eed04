// Handling caveats: what a receiver must do with what the graph released, sent with every answer that
// released anything (extensions.handling, and headers a proxy can act on). Policy data, reviewed with
// the agreements: the marking under the Government Security Classifications, whether the receiver may
// store it, and the retention guidance. An agreement may set stricter handling for what it releases;
// the strictest of the agreements used in one answer applies to the whole answer.

export interface Handling {
  /** Protective marking of the answer (Government Security Classifications). */
  marking: 'OFFICIAL' | 'OFFICIAL-SENSITIVE';
  /** NO_STORE: show it and discard it; keep nothing outside the owning agency's own system. */
  storage: 'NO_STORE' | 'STORE_IN_CASE_FILE';
  /** Plain-language guidance shown to the user beside the data. */
  retention: string;
}

/** What applies when the answer released agency data and no agreement says otherwise. */
export const DEFAULT_HANDLING: Handling = {
  marking: 'OFFICIAL-SENSITIVE',
  storage: 'NO_STORE',
  retention: 'Use for the declared purpose only; do not copy, print or store outside your agency\'s own system; ask again rather than keep a copy.',
};

/** Agreements whose data carries handling of its own (by agreement id). */
export const AGREEMENT_HANDLING: Record<string, Partial<Handling>> = {
  // MAPPA information: recorded in the receiving agency's case file, under its own retention rules.
  'ISA-POLICE-HMPPS': { storage: 'STORE_IN_CASE_FILE', retention: 'MAPPA information: record only in the MAPPA case file of the person, under its retention schedule.' },
  // Release and licence details for a victim: told to the victim, never stored in the victim's file as a document.
  'ISA-VCS': { retention: 'Victim Contact Scheme: tell the victim what they opted in to hear; record that you told them, not the details.' },
};

const MARKING_RANK: Record<Handling['marking'], number> = { OFFICIAL: 0, 'OFFICIAL-SENSITIVE': 1 };
const STORAGE_RANK: Record<Handling['storage'], number> = { STORE_IN_CASE_FILE: 0, NO_STORE: 1 };

/**
 * The handling of one answer from the agreements that released its data (none: the project's default
 * for a partner's own data released without an agreement). The strictest marking and storage win;
 * every retention note that applies is kept.
 */
export function handlingFor(agreementIds: readonly string[]): Handling & { notes: string[] } {
  const parts = agreementIds.length ? agreementIds.map((id) => ({ ...DEFAULT_HANDLING, ...AGREEMENT_HANDLING[id] })) : [DEFAULT_HANDLING];
  const marking = parts.reduce((m, p) => (MARKING_RANK[p.marking] > MARKING_RANK[m] ? p.marking : m), parts[0].marking);
  // Storing is allowed only when every agreement used allows it.
  const storage = parts.reduce((s, p) => (STORAGE_RANK[p.storage] > STORAGE_RANK[s] ? p.storage : s), parts[0].storage);
  const notes = [...new Set(parts.map((p) => p.retention))];
  return { marking, storage, retention: notes[0], notes };
}

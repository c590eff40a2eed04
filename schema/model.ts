// TypeScript shapes of the common data model's shared values, as adapters produce them and resolvers
// return them. They mirror schema/common.graphql; agency-owned types are declared in each adapter.

/** The agency slug: folder name, subgraph name, env prefix (upper-cased), log field and audit source. */
export type AgencySlug = string;
/** The GraphQL `Agency` enum value for a slug. */
export const agencyEnum = (slug: AgencySlug): string => slug.toUpperCase();

export type IdentifierType = 'PNC' | 'CRO' | 'PRISON_NUMBER' | 'CRN' | 'POLICE_NOMINAL_ID' | 'ASN';
export const IDENTIFIER_TYPES: IdentifierType[] = ['PNC', 'CRO', 'PRISON_NUMBER', 'CRN', 'POLICE_NOMINAL_ID', 'ASN'];
export type Sex = 'MALE' | 'FEMALE' | 'NOT_KNOWN' | 'NOT_SPECIFIED';

export interface PersonName {
  title: string | null;
  forenames: string[];
  surname: string;
  fullName: string;
}
export interface Address {
  lines: string[];
  town: string | null;
  postcode: string | null;
}
export interface Identifier {
  type: IdentifierType;
  value: string;
}
export interface Offence {
  code: string;
  title: string | null;
  category: string | null;
}
export interface Organisation {
  code: string;
  name: string | null;
}

/** An identifier as recorded, with what normalisation made of it: only `valid` ones are trusted as keys. */
export interface CheckedIdentifier {
  raw: string | null;
  value: string | null;
  valid: boolean;
  /** Why it is not valid (`check character does not match`); null or absent when valid or not recorded. */
  reason?: string | null;
}

/** The common model's `RecordedIdentifier`: one shape for every identifier as an agency recorded it. */
export interface RecordedIdentifier {
  type: IdentifierType;
  recorded: string | null;
  canonical: string | null;
  valid: boolean;
  reason: string | null;
}

/** A checked identifier (PNC, CRO) in the common model's shape. */
export const recordedIdentifier = (type: IdentifierType, c: CheckedIdentifier): RecordedIdentifier =>
  ({ type, recorded: c.raw, canonical: c.value, valid: c.valid, reason: c.valid || c.raw === null ? null : c.reason ?? 'does not validate' });

/** An agency's own id (no check character): valid when recorded, as recorded. */
export const ownIdentifier = (type: IdentifierType, value: string | null | undefined): RecordedIdentifier =>
  ({ type, recorded: value ?? null, canonical: value ?? null, valid: value != null && value !== '', reason: null });

/** The common model's `Provenance`: where a value came from, stamped when the subgraph read the record. */
export interface Provenance {
  agency: string;
  system: string;
  recordId: string | null;
  retrievedAt: string;
  derivedBy: string | null;
}

/**
 * What one agency record says about who a person is: the input of cross-agency linking.
 * Every agency that holds people (not victims) exposes these through its adapter's IdentitySource.
 */
export interface IdentityRecord {
  agency: AgencySlug;
  /** When identity read the record from the agency's subgraph (set by identity per call, for provenance). */
  retrievedAt?: string;
  /** The agency's own id for the person (nominal id, ASN of a court case, prison number, CRN). */
  localId: string;
  localIdType: IdentifierType;
  name: PersonName;
  aliases: PersonName[];
  dateOfBirth: string | null;
  sex: Sex | null;
  pnc: CheckedIdentifier;
  cro: CheckedIdentifier;
  /** Other agencies' ids that this record holds (probation's NOMS number is a PRISON_NUMBER). Trusted as keys. */
  crossReferences: Identifier[];
  /** The postcode of the address the agency holds for the person, where it holds one (compared by the match model). */
  postcode?: string | null;
  /** Identity fields recorded in a form that could not be read faithfully: null above, kept here as recorded. */
  dataQuality?: DataQualityProblem[];
  /**
   * The agency holds this record but it could not be read faithfully: only its id and the identifiers
   * that passed their check characters are known. It is linked and reported (BAD_SOURCE_DATA on what
   * it would have said), never dropped; its name, date of birth and sex say nothing.
   */
  unreadable?: boolean;
}

/**
 * The identity record of a person record that could not be read: its id and whatever trusted keys could
 * still be read from it, so that the person's link to it is reported instead of silently lost.
 */
export function unreadableIdentityRecord(agency: AgencySlug, localId: string, localIdType: IdentifierType,
  keys: { pnc?: CheckedIdentifier; cro?: CheckedIdentifier; crossReferences?: Identifier[] } = {}): IdentityRecord {
  const none: CheckedIdentifier = { raw: null, value: null, valid: false };
  return {
    agency, localId, localIdType, name: { title: null, forenames: [], surname: '', fullName: '' }, aliases: [], dateOfBirth: null, sex: null,
    pnc: keys.pnc ?? none, cro: keys.cro ?? none, crossReferences: keys.crossReferences ?? [], unreadable: true,
  };
}

/** The records that say something about who the person is (unreadable ones say nothing). */
export const readable = <R extends Pick<IdentityRecord, 'unreadable'>>(records: readonly R[]): R[] => records.filter((r) => !r.unreadable);


/** A field an agency recorded that could not be read faithfully; the record is kept, the field is null. */
export interface DataQualityProblem {
  /** The common model's field: `dateOfBirth`, `sex`. */
  field: string;
  /** The value exactly as the agency recorded it. */
  recorded: string;
  /** What is wrong with it, e.g. `a real calendar date, got "19960094"`. */
  problem: string;
}

/**
 * One search for people. Exact (a user's search): the surname's key and, when given, the date of birth.
 * Tolerant (a candidate search): surnames that sound the same or are one edit away where the system can
 * search so, and people born on `dateOfBirth` with a forename like `forename`; the date is then no filter.
 * A `swapped` search carries a person's forename as `surname` (records keyed the other way round).
 */
export interface IdentitySearch {
  surname: string;
  forename?: string | null;
  dateOfBirth?: string | null;
  tolerant?: boolean | null;
  swapped?: boolean | null;
}

/** The one contract the identity subgraph needs from an agency adapter. */
export interface IdentitySource {
  agency: AgencySlug;
  /** Identifier types this system can be searched by. */
  supports: IdentifierType[];
  /**
   * Records holding any of the given identifiers (types outside `supports` are ignored).
   * One legacy call per batch where the system has a batch operation.
   */
  findByIdentifiers(ids: Identifier[]): Promise<IdentityRecord[]>;
  /** Records whose surname matches (after normalisation) and, when given, whose date of birth matches. */
  search(criteria: IdentitySearch): Promise<IdentityRecord[]>;
  /**
   * Records matching any of several searches, in one legacy call (SQL OR, a multi-criteria search body).
   * Absent when the system cannot: the searches then run a few at a time, each one counted.
   */
  searchMany?(criteria: IdentitySearch[]): Promise<IdentityRecord[]>;
  /**
   * True when search and searchMany answer tolerant criteria (IdentitySearch.tolerant). A system that does
   * not is asked the exact surname without the date of birth instead, so that it still surfaces date slips.
   */
  tolerantSearch?: boolean;
}

export function personName(forenames: string[], surname: string, title: string | null = null): PersonName {
  const f = forenames.filter((x) => x.trim() !== '');
  return { title, forenames: f, surname, fullName: [...f, surname].join(' ') };
}

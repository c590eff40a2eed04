// Payloads as the HMPPS Prison API and Prisoner Search API send them (field names from their OpenAPI
// documents, see test/fixtures/prisons/README.md). Only the fields this adapter reads are declared; all
// are optional because NOMIS leaves many of them out, and mapping.ts checks what it needs.

/** Prison API `ErrorResponse`: the body of every 4xx/5xx. */
export interface ErrorResponse {
  status: number;
  errorCode?: number;
  userMessage: string;
  developerMessage?: string;
  moreInfo?: string;
}

/** Prison API `SentenceCalcDates` (InmateDetail.sentenceDetail): NOMIS sentence calculation dates. */
export interface SentenceCalcDates {
  bookingId?: number;
  sentenceStartDate?: string;
  sentenceExpiryDate?: string;
  conditionalReleaseDate?: string;
  conditionalReleaseOverrideDate?: string;
  automaticReleaseDate?: string;
  confirmedReleaseDate?: string;
  /** "Confirmed, actual, approved, provisional or calculated release date": the actual one once released. */
  releaseDate?: string;
  licenceExpiryDate?: string;
}

/** Prison API `AssignedLivingUnit`: the cell. */
export interface AssignedLivingUnit {
  agencyId?: string;
  locationId?: number;
  /** Wing-landing-cell as the prison labels it, e.g. `A-1-002`. */
  description?: string;
  agencyName?: string;
}

/** Prison API `Alert`, as `GET /api/offenders/{offenderNo}/alerts/v2` lists them. */
export interface Alert {
  alertId?: number;
  bookingId?: number;
  offenderNo?: string;
  alertType?: string;
  alertTypeDescription?: string;
  alertCode?: string;
  alertCodeDescription?: string;
  comment?: string;
  dateCreated?: string;
  dateExpires?: string | null;
  expired?: boolean;
  active?: boolean;
}

/** Prison API `InmateDetail` (`GET /api/offenders/{offenderNo}`): the person and their latest booking. */
export interface InmateDetail {
  offenderNo?: string;
  bookingId?: number;
  bookingNo?: string;
  offenderId?: number;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  dateOfBirth?: string;
  activeFlag?: boolean;
  agencyId?: string;
  assignedLivingUnitId?: number;
  assignedLivingUnit?: AssignedLivingUnit;
  inOutStatus?: string;
  status?: string;
  legalStatus?: string;
  recall?: boolean;
  imprisonmentStatus?: string;
  receptionDate?: string;
  sentenceDetail?: SentenceCalcDates;
  /** The current prison, or the last one before release. */
  latestLocationId?: string;
  locationDescription?: string;
}

/** Prisoner Search `PrisonerAlias`. */
export interface PrisonerAlias {
  title?: string;
  firstName?: string;
  middleNames?: string;
  lastName?: string;
  dateOfBirth?: string;
  gender?: string;
}

/** Prisoner Search `Identifier`. */
export interface PrisonerIdentifier {
  type?: string;
  value?: string;
  issuedDate?: string;
  createdDateTime?: string;
}

/** Prisoner Search `Prisoner`: the search index's copy of a person and their latest booking. */
export interface Prisoner {
  prisonerNumber?: string;
  pncNumber?: string;
  pncNumberCanonicalShort?: string;
  pncNumberCanonicalLong?: string;
  croNumber?: string;
  bookingId?: string;
  bookNumber?: string;
  title?: string;
  firstName?: string;
  middleNames?: string;
  lastName?: string;
  dateOfBirth?: string;
  gender?: string;
  status?: string;
  inOutStatus?: string;
  prisonId?: string;
  prisonName?: string;
  cellLocation?: string;
  legalStatus?: string;
  receptionDate?: string;
  releaseDate?: string;
  conditionalReleaseDate?: string;
  sentenceStartDate?: string;
  sentenceExpiryDate?: string;
  aliases?: PrisonerAlias[];
  identifiers?: PrisonerIdentifier[];
}

/** Prisoner Search `PagePrisoner` (Spring page). */
export interface PagePrisoner {
  content?: Prisoner[];
  totalElements?: number;
  totalPages?: number;
  number?: number;
  size?: number;
  last?: boolean;
}

/** Prisoner Search attribute-search matchers (the subset this adapter sends). */
export type Matcher =
  | { type: 'String'; attribute: string; condition: 'IS' | 'IS_NOT' | 'CONTAINS' | 'STARTSWITH' | 'IN'; searchTerm: string }
  | { type: 'PNC'; pncNumber: string }
  | { type: 'Date'; attribute: string; minValue?: string; maxValue?: string; minInclusive?: boolean; maxInclusive?: boolean };

export interface AttributeQuery {
  joinType?: 'AND' | 'OR';
  matchers?: Matcher[];
  subQueries?: AttributeQuery[];
}

/** Prisoner Search `AttributeSearchRequest` for `POST /attribute-search`. */
export interface AttributeSearchRequest {
  joinType?: 'AND' | 'OR';
  queries: AttributeQuery[];
  pagination: { page: number; size: number };
}

/** Prison API `Prison` (`GET /api/agencies/prisons`). */
export interface Prison {
  agencyId: string;
  description: string;
  longDescription?: string;
  agencyType: string;
  active: boolean;
}

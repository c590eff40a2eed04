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

/** Prisoner Alerts API `AlertCodeSummary`: the type and code an alert is categorised by. */
export interface AlertCodeSummary {
  alertTypeCode?: string;
  alertTypeDescription?: string;
  code?: string;
  description?: string;
}

/**
 * Prisoner Alerts API `Alert` (alerts-api.json), as `POST /search/alerts/prison-numbers` lists them. It
 * replaces the Prison API's `GET /api/offenders/{offenderNo}/alerts/v2`, removed in August 2025.
 */
export interface Alert {
  alertUuid?: string;
  prisonNumber?: string;
  alertCode?: AlertCodeSummary;
  /** Free text: why the alert was added. */
  description?: string;
  authorisedBy?: string;
  activeFrom?: string;
  activeTo?: string | null;
  isActive?: boolean;
  createdAt?: string;
  createdBy?: string;
  createdByDisplayName?: string;
  lastModifiedAt?: string;
  prisonCodeWhenCreated?: string;
}

/** Prisoner Alerts API `AlertsResponse`: the answer of `POST /search/alerts/prison-numbers`. */
export interface AlertsResponse {
  content?: Alert[];
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
  /** IN, OUT or TRN. */
  inOutStatus?: string;
  /** NOMIS booking status: `ACTIVE IN`, `ACTIVE OUT`, `INACTIVE OUT`, `INACTIVE TRN`. */
  status?: string;
  /** Last movement type (NOMIS MOVE_TYPE domain): TAP, CRT, TRN, ADM, REL. */
  lastMovementTypeCode?: string;
  lastMovementReasonCode?: string;
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
  lastMovementTypeCode?: string;
  prisonId?: string;
  lastPrisonId?: string;
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

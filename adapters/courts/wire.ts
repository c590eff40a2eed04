// Libra court result messages as received: the CJSE `DeliverRequest` envelope (namespace
// http://schemas.cjse.gov.uk/messages/deliver/2006-05) around a `DC:ResultedCaseMessage` (namespace
// http://www.dca.gov.uk/xmlschemas/libra, schema 0.6g), parsed with namespace prefixes removed (real
// messages mix `DC:` and unprefixed elements, e.g. `NextHearing`), every value a string, and the
// elements that may repeat always arrays (REPEATING). Element names are the schema's; the project holds
// two real messages in reference/libra/.
//
// The query in front of the messages is the stand-in's (a real Libra pushes these messages over the
// CJSE; a consumer keeps what it was delivered): SOAP `GetResultedCases` taking many ASNs, many PTIURNs
// or one name, answering the delivered `DeliverRequest` documents unchanged (`GetResultedCasesResponse`).

export const LIBRA_NS = 'http://www.dca.gov.uk/xmlschemas/libra';
export const DELIVER_NS = 'http://schemas.cjse.gov.uk/messages/deliver/2006-05';
/** The Libra schema version the mapping follows (the `SchemaVersion` attribute of ResultedCaseMessage). */
export const LIBRA_SCHEMA_VERSION = '0.6g';

/** Elements that may repeat: the parser must always give arrays for these. */
export const REPEATING = ['DeliverRequest', 'Session', 'Case', 'Defendant', 'Offence', 'Result', 'ResultCodeQualifier'] as const;

export interface WirePersonName {
  PersonTitle?: string;
  PersonGivenName1?: string;
  PersonGivenName2?: string;
  PersonGivenName3?: string;
  PersonFamilyName?: string;
}

export interface WireSimpleAddress {
  AddressLine1?: string;
  AddressLine2?: string;
  AddressLine3?: string;
  AddressLine4?: string;
  AddressLine5?: string;
}

export interface WireHearingDetails {
  /** Court OU code, e.g. `B01EF01` (sometimes a bare PSA code such as `0413`). */
  CourtHearingLocation?: string;
  /** `YYYY-MM-DD`. */
  DateOfHearing?: string;
  /** `HH:MM:SS`. */
  TimeOfHearing?: string;
}

export interface WireNextHearing {
  NextHearingDetails?: WireHearingDetails;
  NextHearingReason?: string;
  BailStatusOffence?: string;
}

export interface WireResult {
  /** Four-digit CJS result code; absent on some lines (offences taken into consideration, warrants). */
  ResultCode?: string;
  ResultText?: string;
  ResultCodeQualifier?: string[];
  NextHearing?: WireNextHearing;
  Outcome?: unknown;
}

export interface WireOffence {
  BaseOffenceDetails?: {
    /** Three digits, `001`: a string on the wire. */
    OffenceSequenceNumber?: string;
    /** CJS offence code, sometimes with a qualifier letter appended (`SX03001A` = attempt). */
    OffenceCode?: string;
    OffenceWording?: string;
    OffenceTiming?: {
      OffenceDateCode?: string;
      OffenceStart?: { OffenceDateStartDate?: string; OffenceStartTime?: string };
      OffenceEnd?: { OffenceEndDate?: string; OffenceEndTime?: string };
    };
    ChargeDate?: string;
    ArrestDate?: string;
    LocationOfOffence?: string;
  };
  InitiatedDate?: string;
  /** SPI plea code: 1 guilty, 2 not guilty, 3 no plea, ... */
  Plea?: string;
  ModeOfTrial?: string;
  FinalDisposalIndicator?: string;
  ConvictionDate?: string;
  /** SPI verdict code: G guilty, N not guilty, ... */
  Finding?: string;
  Result?: WireResult[];
}

export interface WireDefendant {
  /** The Arrest Summons Number (ASN), e.g. `1101ZD0100000448754K`: the key that links the case to the police arrest. */
  ProsecutorReference?: string;
  CourtIndividualDefendant?: {
    PersonDefendant?: {
      BasePersonDetails?: {
        PersonName?: WirePersonName;
        /** `YYYY-MM-DD`. */
        Birthdate?: string;
        /** SPI gender code: 0 not known, 1 male, 2 female, 9 not specified; `N` (not known) in some feeds. */
        Gender?: string;
      };
    };
    /** SPI remand status code: U unconditional bail, B conditional bail, C custody, ... */
    BailStatus?: string;
    Address?: { SimpleAddress?: WireSimpleAddress };
    PresentAtHearing?: string;
  };
  Offence?: WireOffence[];
}

export interface WireCase {
  /** The police/prosecutor unique reference number, e.g. `01ZD0303208`. */
  PTIURN?: string;
  Defendant?: WireDefendant[];
}

export interface WireSession {
  CourtHearing?: { Hearing?: WireHearingDetails; PSAcode?: string };
  Case?: WireCase[];
}

export interface WireResultedCaseMessage {
  Session?: WireSession[];
}

/** One delivered message, the envelope's metadata left aside. */
export interface WireDeliverRequest {
  MessageIdentifier?: string;
  Message?: { ResultedCaseMessage?: WireResultedCaseMessage };
}

export interface WireResultedCasesResponse {
  DeliverRequest?: WireDeliverRequest[];
}

// ---- Common Platform (HMCTS), the newer court system ---------------------------------------------
// JSON as its prosecution-case search answers (reference/common-platform/api/search-prosecutionCaseResponse.json,
// JSON Schema draft-04): UUID ids, ISO dates, the ASN on the defendant. Only what the mapping reads is typed.

export interface CpPlea { pleaDate?: string; pleaValue?: string }
export interface CpVerdict { verdictDate?: string; verdictType?: { category?: string; categoryType?: string; cjsVerdictCode?: string } }
export interface CpOffenceSummary {
  offenceId?: string;
  offenceCode?: string;
  orderIndex?: number;
  offenceTitle?: string;
  wording?: string;
  arrestDate?: string;
  chargeDate?: string;
  startDate?: string;
  plea?: CpPlea[];
  verdict?: CpVerdict;
}
export interface CpDefendantSummary {
  defendantId?: string;
  defendantASN?: string;
  /** The whole name, forenames first, when the parts are not given. */
  defendantName?: string;
  defendantFirstName?: string;
  defendantMiddleName?: string;
  defendantLastName?: string;
  /** `YYYY-MM-DD`. */
  defendantDOB?: string;
  offenceSummary?: CpOffenceSummary[];
}
export interface CpHearingSummary {
  hearingId?: string;
  courtCentre?: { id?: string; code?: string; name?: string };
  hearingType?: { id?: string; description?: string };
  /** `sittingDay` is an instant (ISO date-time, UTC). */
  hearingDays?: { sittingDay?: string }[];
  defendantIds?: string[];
}
export interface CpProsecutionCaseSummary {
  prosecutionCaseId?: string;
  /** The URN. */
  prosecutionCaseReference?: string;
  caseStatus?: string;
  defendantSummary?: CpDefendantSummary[];
  hearingSummary?: CpHearingSummary[];
}
export interface CpProsecutionCaseResponse {
  cases?: CpProsecutionCaseSummary[];
  totalResults?: number;
}

// A hearing as Common Platform shapes it (reference/common-platform/global/apiHearing.json), as the
// court list answers (the stand-in's listing extension): court centre, type, sitting days, and the cases
// heard with each defendant's bail status and custody time limit. Only what the mapping reads is typed.
export interface CpCustodyTimeLimit { timeLimit?: string; daysSpent?: number }
export interface CpBailStatus { id?: string; code?: string; description?: string; custodyTimeLimit?: CpCustodyTimeLimit }
export interface CpPersonDefendant {
  personDetails?: { firstName?: string; middleName?: string; lastName?: string; dateOfBirth?: string };
  bailStatus?: CpBailStatus;
  /** The custody time limit of the case (a date) when the defendant is remanded in custody. */
  custodyTimeLimit?: string;
  arrestSummonsNumber?: string;
}
export interface CpOffence { offenceCode?: string; startDate?: string; chargeDate?: string; custodyTimeLimit?: CpCustodyTimeLimit }
export interface CpDefendant { id?: string; offences?: CpOffence[]; personDefendant?: CpPersonDefendant }
export interface CpProsecutionCase {
  id?: string;
  prosecutionCaseIdentifier?: { caseURN?: string; prosecutionAuthorityReference?: string };
  caseStatus?: string;
  defendants?: CpDefendant[];
}
export interface CpHearing {
  id?: string;
  courtCentre?: { id?: string; code?: string; name?: string };
  type?: { id?: string; description?: string };
  hearingDays?: { sittingDay?: string; listingSequence?: number; listedDurationMinutes?: number; isCancelled?: boolean }[];
  hasSharedResults?: boolean;
  prosecutionCases?: CpProsecutionCase[];
}
export interface CpHearingList { hearings?: CpHearing[]; totalResults?: number }

// The Libra case service's payloads as the SOAP helper hands them over: namespace prefixes removed,
// every value a string, repeating elements always arrays (see REPEATING). Element names follow the
// Libra schema (namespace http://www.dca.gov.uk/xmlschemas/libra), e.g. DC:PTIURN, DC:PersonDefendant.

export const LIBRA_NS = 'http://www.dca.gov.uk/xmlschemas/libra';

/** Elements that may repeat: the parser must always give arrays for these. */
export const REPEATING = ['Defendant', 'Case', 'Hearing', 'Offence', 'Result', 'ResultCodeQualifier'] as const;

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

/** One defendant as GetDefendants and FindDefendants return it. */
export interface WireDefendant {
  DefendantId?: string;
  /** PNC id as keyed at court: long (`2001/0012345X`) or short (`01/12345X`) form. */
  PNCIdentifier?: string;
  CourtIndividualDefendant?: {
    PersonDefendant?: {
      BasePersonDetails?: {
        PersonName?: WirePersonName;
        /** `YYYY-MM-DD`. */
        Birthdate?: string;
        /** CJS gender code: 0 not known, 1 male, 2 female, 9 not specified. */
        Gender?: string;
      };
    };
    Address?: { SimpleAddress?: WireSimpleAddress };
  };
}

export interface WireHearing {
  HearingId?: string;
  /** Court OU code, e.g. `B01EF01`. */
  CourtHearingLocation?: string;
  DateOfHearing?: string;
  TimeOfHearing?: string;
  /** CJS type-of-hearing code, e.g. `FH` first hearing, `TRIAL`. */
  HearingType?: string;
}

export interface WireResult {
  ResultCode?: string;
  ResultText?: string;
  ResultCodeQualifier?: string[];
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
  };
  /** SPI plea code: 1 guilty, 2 not guilty, 3 no plea, ... */
  Plea?: string;
  /** SPI verdict code: G guilty, N not guilty, ... */
  Finding?: string;
  ConvictionDate?: string;
  Result?: WireResult[];
}

/** One case as GetCases and GetCasesByDefendant return it. */
export interface WireCase {
  PTIURN?: string;
  /** The court that holds the case (OU code). */
  CourtHearingLocation?: string;
  Hearing?: WireHearing[];
  Defendant?: {
    DefendantId?: string;
    /** The Arrest Summons Number. */
    ProsecutorReference?: string;
    CourtIndividualDefendant?: {
      PersonDefendant?: { BasePersonDetails?: { Birthdate?: string } };
      /** SPI remand status code: U unconditional bail, B conditional bail, C custody, ... */
      BailStatus?: string;
      /** Custody time limit expiry, `YYYY-MM-DD`, only while remanded in custody. */
      CustodyTimeLimit?: string;
    };
    Offence?: WireOffence[];
  }[];
}

export interface WireDefendantsResponse {
  Defendant?: WireDefendant[];
}

export interface WireCasesResponse {
  Case?: WireCase[];
}

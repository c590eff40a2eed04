// The case management system's answer as it arrives. The case and the prosecuting authority are HMCTS
// Common Platform shapes (reference/prosecution/common-platform/global/apiProsecutionCase.json and
// apiProsecutingAuthority.json; only the properties the adapter reads are typed here). The charging
// decision, review and witness care parts have no public contract: they are the system's own.

export interface WireSearchRequest {
  caseUrns: string[];
  asns: string[];
  pncIds: string[];
}

export interface WireSearchResponse {
  caseFiles?: WireCaseFile[];
}

export interface WireCaseFile {
  prosecutionCase?: WireProsecutionCase;
  prosecutingAuthority?: { prosecutionAuthorityId?: string; prosecutionAuthorityCode?: string; name?: string; prosecutorCategory?: string };
  chargingDecision?: { decision?: string; test?: string; decisionDate?: string; decidedBy?: string } | null;
  review?: { status?: string; lastReviewDate?: string | null; nextReviewDate?: string | null; lawyer?: string } | null;
  witnessCare?: WireWitnessCare[];
  lastUpdated?: string;
}

export interface WireProsecutionCase {
  id?: string;
  prosecutionCaseIdentifier?: { prosecutionAuthorityCode?: string; prosecutionAuthorityName?: string; caseURN?: string; prosecutionAuthorityReference?: string };
  initiationCode?: string;
  caseStatus?: string;
  defendants?: WireDefendant[];
}

export interface WireDefendant {
  id?: string;
  pncId?: string;
  croNumber?: string;
  offences?: WireOffence[];
  personDefendant?: {
    personDetails?: { title?: string; firstName?: string; middleName?: string; lastName?: string; dateOfBirth?: string; gender?: string };
    arrestSummonsNumber?: string;
  };
  proceedingsConcluded?: boolean;
}

export interface WireOffence {
  id?: string;
  offenceCode?: string;
  offenceTitle?: string;
  wording?: string;
  startDate?: string;
  chargeDate?: string;
  orderIndex?: number;
}

export interface WireWitnessCare {
  contactId?: string;
  role?: string;
  firstName?: string;
  lastName?: string;
  victimReference?: string | null;
  contactMethod?: string;
  email?: string | null;
  phone?: string | null;
  specialMeasures?: string[];
  warnedForDate?: string | null;
  lastContactDate?: string | null;
  witnessCareOfficer?: string;
}

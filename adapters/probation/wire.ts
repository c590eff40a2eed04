// Probation payloads as received (contracts in reference/openapi/). Offender search shapes follow
// probation-offender-search.json (OffenderDetail, IDs, OffenderManager, SearchPagedResults, MatchRequest,
// OffenderMatches); nDelius shapes follow ndelius.json (ProbationCaseDetail, SupervisionResponse,
// UserAccess); fields are nullable as the specs declare. Requirements and licence conditions are in no
// public contract: they come from the stand-in extension (ndelius-extensions.json) in the retired
// Community API's Requirement and LicenceCondition shapes.

export interface WireKeyValue {
  code?: string | null;
  description?: string | null;
}

export interface WireIds {
  crn: string;
  pncNumber?: string | null;
  croNumber?: string | null;
  niNumber?: string | null;
  nomsNumber?: string | null;
  immigrationNumber?: string | null;
  mostRecentPrisonerNumber?: string | null;
  previousCrn?: string | null;
}

export interface WireStaffHuman {
  code?: string | null;
  forenames?: string | null;
  surname?: string | null;
  unallocated?: boolean | null;
}

export interface WireOffenderManager {
  staff?: WireStaffHuman | null;
  trustOfficer?: { forenames?: string | null; surname?: string | null } | null;
  team?: (WireKeyValue & { telephone?: string | null; localDeliveryUnit?: WireKeyValue | null }) | null;
  probationArea?: (WireKeyValue & { probationAreaId?: number | null; nps?: boolean | null }) | null;
  fromDate?: string | null;
  toDate?: string | null;
  active?: boolean | null;
  softDeleted?: boolean | null;
  allocationReason?: WireKeyValue | null;
}

export interface WireOffenderAlias {
  id?: string | null;
  dateOfBirth?: string | null;
  firstName?: string | null;
  middleNames?: string[] | null;
  surname?: string | null;
  gender?: string | null;
}

/** OffenderDetail (offender search), or nDelius ProbationCaseDetail, which has no offenderId and no managers. */
export interface WireOffenderDetail {
  offenderId?: number | null;
  title?: string | null;
  firstName?: string | null;
  middleNames?: string[] | null;
  surname?: string | null;
  previousSurname?: string | null;
  dateOfBirth?: string | null;
  gender?: string | null;
  otherIds: WireIds;
  offenderProfile?: { notes?: string | null; riskColour?: string | null; [k: string]: unknown } | null;
  offenderAliases?: WireOffenderAlias[] | null;
  offenderManagers?: WireOffenderManager[] | null;
  softDeleted?: boolean | null;
  currentDisposal?: string | null;
  currentRestriction?: boolean | null;
  restrictionMessage?: string | null;
  currentExclusion?: boolean | null;
  exclusionMessage?: string | null;
  currentTier?: string | null;
  activeProbationManagedSentence?: boolean | null;
  mappa?: { level?: number | null; levelDescription?: string | null; category?: number | null; startDate?: string | null; reviewDate?: string | null } | null;
  probationStatus?: { status: string; inBreach?: boolean | null; preSentenceActivity: boolean; awaitingPsr: boolean } | null;
  age?: number | null;
}

/** SearchDto: every supplied attribute must match. */
export interface WireSearchDto {
  firstName?: string | null;
  surname?: string | null;
  dateOfBirth?: string | null;
  pncNumber?: string | null;
  croNumber?: string | null;
  crn?: string | null;
  nomsNumber?: string | null;
  includeAliases?: boolean | null;
}

/** A Spring Data page, as POST /search/people answers. */
export interface WireSearchPage {
  content: WireOffenderDetail[];
  pageable: { offset: number; pageSize: number; pageNumber: number; paged: boolean; unpaged: boolean; sort: WireSort };
  total: number;
  totalElements: number;
  totalPages: number;
  last: boolean;
  first: boolean;
  empty: boolean;
  size: number;
  number: number;
  numberOfElements: number;
  sort: WireSort;
  page: { size: number; number: number; totalElements: number; totalPages: number };
}
export interface WireSort { empty: boolean; sorted: boolean; unsorted: boolean }

export interface WireMatchRequest {
  surname: string;
  firstName?: string | null;
  dateOfBirth?: string | null;
  pncNumber?: string | null;
  croNumber?: string | null;
  nomsNumber?: string | null;
  activeSentence: boolean;
}

export type WireMatchedBy = 'ALL_SUPPLIED' | 'ALL_SUPPLIED_ALIAS' | 'HMPPS_KEY' | 'EXTERNAL_KEY' | 'NAME' | 'PARTIAL_NAME' | 'PARTIAL_NAME_DOB_LENIENT' | 'NOTHING';
export interface WireOffenderMatches {
  matches: { offender: WireOffenderDetail }[];
  matchedBy: WireMatchedBy;
}

/** nDelius `Name`. */
export interface WireName { forename?: string | null; surname?: string | null; middleName?: string | null }

/** nDelius `Manager` (SupervisionResponse.communityManager); `allocated` false for the placeholder officer. */
export interface WireManager {
  code?: string | null;
  name?: WireName | null;
  username?: string | null;
  team?: (WireKeyValue & { provider?: WireKeyValue | null }) | null;
  allocated?: boolean | null;
}

/** nDelius `DynamicRiskRegistration` / `PersonStatusRegistration`: a current registration. */
export interface WireRiskRegistration {
  code?: string | null;
  description?: string | null;
  startDate?: string | null;
  reviewDate?: string | null;
  notes?: string | null;
}

/** nDelius `MappaDetail`. */
export interface WireMappaDetail {
  level?: number | null;
  levelDescription?: string | null;
  category?: number | null;
  categoryDescription?: string | null;
  startDate?: string | null;
  reviewDate?: string | null;
  notes?: string | null;
}

/** nDelius `SupervisionResponse` (GET /case/{crn}/supervisions). */
export interface WireSupervisionResponse {
  communityManager?: WireManager | null;
  mappaDetail?: WireMappaDetail | null;
  supervisions?: unknown[] | null;
  dynamicRisks?: WireRiskRegistration[] | null;
  personStatus?: WireRiskRegistration[] | null;
}

/** nDelius `CaseAccess`, one per CRN in `UserAccess.access` (POST /probation-cases/access?username=). */
export interface WireCaseAccess {
  crn?: string | null;
  userExcluded?: boolean | null;
  userRestricted?: boolean | null;
  exclusionMessage?: string | null;
  restrictionMessage?: string | null;
}
export interface WireUserAccess { access?: WireCaseAccess[] | null }

/** Stand-in extension `StaffCaseload` (GET /staff/{staffCode}/caseload). */
export interface WireStaffCaseload { code?: string | null; cases?: { crn?: string | null }[] | null }

/** Stand-in extension `CaseConditions`, one per CRN in `{ cases }` (POST /probation-cases/conditions). */
export interface WireCaseConditions {
  crn?: string | null;
  requirements?: WireRequirement[] | null;
  licenceConditions?: WireLicenceCondition[] | null;
}

/** Community API style Requirement (…/convictions/{id}/requirements item). */
export interface WireRequirement {
  requirementId: number;
  startDate?: string | null;
  terminationDate?: string | null;
  length?: number | null;
  lengthUnit?: string | null;
  active?: boolean | null;
  requirementTypeMainCategory?: WireKeyValue | null;
  requirementTypeSubCategory?: WireKeyValue | null;
}

/** Community API style LicenceCondition (…/convictions/{id}/licenceConditions item). */
export interface WireLicenceCondition {
  licenceConditionId?: number | null;
  licenceConditionNotes?: string | null;
  startDate?: string | null;
  commencementDate?: string | null;
  active?: boolean | null;
  licenceConditionTypeMainCat?: WireKeyValue | null;
  licenceConditionTypeSubCat?: WireKeyValue | null;
}

/** The HMPPS error body ({status, userMessage, developerMessage}). */
export interface WireErrorResponse {
  status: number;
  errorCode?: number | null;
  userMessage?: string | null;
  developerMessage?: string | null;
  moreInfo?: string | null;
}

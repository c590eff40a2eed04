// The disclosure policy's vocabulary: who asks (roles), why (purposes), and the record conditions a
// grant can carry. The security team owns this file; a new role, purpose or condition is a reviewed
// change here, and everything else (field tables, matrix, tests) refers to these names.

export const PURPOSES = {
  INVESTIGATION: 'Preventing, investigating or detecting a criminal offence (DPA 2018 s.31)',
  SAFEGUARDING: 'Protecting a child or an adult at risk from harm',
  PROSECUTION: 'Deciding on and conducting a prosecution',
  COURT_LISTING: 'Listing hearings and managing custody time limits',
  CUSTODY_MANAGEMENT: 'Holding a person safely in police or prison custody',
  OFFENDER_MANAGEMENT: 'Supervising a person on licence or a community sentence',
  VICTIM_CONTACT: 'Keeping a victim informed under the Victim Contact Scheme',
  STATISTICS: 'Producing aggregate statistics; never about a named person',
  AUDIT: 'Auditing who saw what, and why',
  DATA_QUALITY: 'Finding and correcting errors in an agency\'s records; counts of problems, and record ids only to the agency that holds them',
} as const;
export type Purpose = keyof typeof PURPOSES;

export interface RoleDefinition {
  /** The agency whose staff hold the role (the token's `agency` claim must match). */
  agency: string;
  description: string;
  /** The purposes this role may declare; any other X-Purpose is refused before any agency is called. */
  purposes: Purpose[];
}

export const ROLES = {
  POLICE_OFFICER: { agency: 'POLICE', description: 'Investigating officer', purposes: ['INVESTIGATION', 'SAFEGUARDING'] },
  CUSTODY_OFFICER: { agency: 'POLICE', description: 'Police custody suite officer', purposes: ['CUSTODY_MANAGEMENT', 'SAFEGUARDING'] },
  INTELLIGENCE_ANALYST: { agency: 'POLICE', description: 'Police intelligence analyst', purposes: ['INVESTIGATION'] },
  CPS_PROSECUTOR: { agency: 'CPS', description: 'Crown Prosecution Service lawyer', purposes: ['PROSECUTION'] },
  WITNESS_CARE_OFFICER: { agency: 'CPS', description: 'Witness care unit officer: keeps victims and witnesses informed of their case', purposes: ['VICTIM_CONTACT'] },
  COURT_LISTING_OFFICER: { agency: 'COURTS', description: 'Lists hearings and watches custody time limits', purposes: ['COURT_LISTING'] },
  PRISON_OFFICER: { agency: 'PRISONS', description: 'Prison officer', purposes: ['CUSTODY_MANAGEMENT', 'SAFEGUARDING'] },
  PROBATION_OFFICER: { agency: 'PROBATION', description: 'Offender manager', purposes: ['OFFENDER_MANAGEMENT', 'SAFEGUARDING'] },
  VICTIM_LIAISON_OFFICER: { agency: 'VICTIMS', description: 'Victim liaison officer (Victim Contact Scheme)', purposes: ['VICTIM_CONTACT'] },
  PERFORMANCE_ANALYST: { agency: 'MOJ', description: 'Produces performance statistics', purposes: ['STATISTICS'] },
  AUDITOR: { agency: 'AUDIT', description: 'Audits disclosures', purposes: ['AUDIT'] },
  // Data quality: each agency's records manager looks after that agency's own records (counts and the
  // record ids of examples); the cross-agency data-quality officer sees every agency's counts, never ids.
  POLICE_RECORDS_MANAGER: { agency: 'POLICE', description: 'Looks after the quality of the police records', purposes: ['DATA_QUALITY'] },
  COURTS_RECORDS_MANAGER: { agency: 'COURTS', description: 'Looks after the quality of the court records', purposes: ['DATA_QUALITY'] },
  PRISONS_RECORDS_MANAGER: { agency: 'PRISONS', description: 'Looks after the quality of the prison records', purposes: ['DATA_QUALITY'] },
  PROBATION_RECORDS_MANAGER: { agency: 'PROBATION', description: 'Looks after the quality of the probation records', purposes: ['DATA_QUALITY'] },
  VICTIMS_RECORDS_MANAGER: { agency: 'VICTIMS', description: 'Looks after the quality of the victim contact records', purposes: ['DATA_QUALITY'] },
  DATA_QUALITY_OFFICER: { agency: 'MOJ', description: 'Cross-agency data-quality officer: every agency\'s counts of data problems, no record ids', purposes: ['DATA_QUALITY'] },
} as const satisfies Record<string, RoleDefinition>;
export type Role = keyof typeof ROLES;

/**
 * Services that ask subgraphs on a caller's behalf through internal fields. A grant `SERVICE <name>`
 * admits only that service's own signed call; no person's role ever matches it, and a service call
 * matches nothing else.
 */
export const SERVICES = {
  identity: 'The identity subgraph, linking one person\'s records across agencies',
  gateway: 'The gateway, establishing the caller\'s caseload and victims for record conditions',
  audit: 'The audit subgraph, finding every record of a person an auditor names',
} as const;
export type Service = keyof typeof SERVICES;

/** Named groups of roles, so a table row can say "every operational role" once. */
export const ROLE_GROUPS: Record<string, Role[]> = {
  // Everyone who works on named people. Performance analysts and auditors are not among them.
  OPERATIONAL: ['POLICE_OFFICER', 'CUSTODY_OFFICER', 'INTELLIGENCE_ANALYST', 'CPS_PROSECUTOR', 'COURT_LISTING_OFFICER', 'PRISON_OFFICER', 'PROBATION_OFFICER', 'VICTIM_LIAISON_OFFICER'],
  POLICE: ['POLICE_OFFICER', 'CUSTODY_OFFICER', 'INTELLIGENCE_ANALYST'],
  // Each agency's own records managers (the data-quality report's own staff).
  RECORDS_MANAGERS: ['POLICE_RECORDS_MANAGER', 'COURTS_RECORDS_MANAGER', 'PRISONS_RECORDS_MANAGER', 'PROBATION_RECORDS_MANAGER', 'VICTIMS_RECORDS_MANAGER'],
};

/** Record conditions: a grant with one holds only for records that meet it. */
export const CONDITIONS = {
  ON_CASELOAD: 'the person is supervised by the caller (the caller is their offender manager)',
  OWN_VICTIM_CASE: 'the person is the defendant in a case of one of the caller\'s victims',
  OWN_VICTIM: 'the victim is one of the caller\'s own',
  ADULT_AT_OFFENCE: 'the record is not a youth record (the person was 18 or over at the offence)',
  OWN_AGENCY_RECORDS: 'the records are the caller\'s own agency\'s (a data-quality report of the agency the caller works for)',
  NOT_RESTRICTED: 'nDelius does not exclude the caller from the probation record (checked per user; an exclusion is never lifted by the caseload), and does not restrict it from them unless they are its offender manager',
} as const;
export type Condition = keyof typeof CONDITIONS;

/** Why a field was withheld: what a frontend shows and the audit trail records. */
export const REASONS = {
  NOT_PERMITTED: 'no grant names the caller\'s role for this field',
  PURPOSE_NOT_PERMITTED: 'the caller\'s role may see this field, but not for the declared purpose',
  NO_AGREEMENT: 'no information-sharing agreement covers this disclosure',
  AGREEMENT_EXPIRED: 'the information-sharing agreement that covered this has ended',
  AGREEMENT_NOT_STARTED: 'the information-sharing agreement that covers this has not started yet',
  NOT_ON_CASELOAD: 'the person is not on the caller\'s caseload',
  NOT_OWN_VICTIM_CASE: 'the person is not the defendant in a case of one of the caller\'s victims',
  NOT_OWN_VICTIM: 'the victim is not one of the caller\'s own',
  YOUTH_RECORD: 'the record concerns an offence committed under 18',
  RESTRICTED_RECORD: 'the record is marked restricted or excluded',
  NOT_OWN_AGENCY_RECORDS: 'the records are another agency\'s: only that agency sees their ids',
} as const;
export type Reason = keyof typeof REASONS;

/**
 * What a list shows of an item the caller may not see because the item fails a condition: `OMIT` leaves
 * it out without a trace (its existence is itself protected, so a null item or an error would disclose
 * it); `WITHHOLD` keeps it in place with its fields withheld (the caller may know the record exists).
 */
export type InLists = 'OMIT' | 'WITHHOLD';
export const CONDITION_IN_LISTS: Record<Condition, InLists> = {
  // A probation officer may know a person is supervised by someone else: the list says so.
  ON_CASELOAD: 'WITHHOLD',
  // A victim liaison officer learns nothing of cases and victims that are not their own, not even that they exist.
  OWN_VICTIM_CASE: 'OMIT',
  OWN_VICTIM: 'OMIT',
  // That a youth record exists is itself youth-record information (a null item with YOUTH_RECORD would tell).
  ADULT_AT_OFFENCE: 'OMIT',
  // Restricted and excluded probation records show as restricted, as the probation system itself shows them.
  NOT_RESTRICTED: 'WITHHOLD',
  // Another agency's example record ids: the counts say they exist, so the list shows them withheld.
  OWN_AGENCY_RECORDS: 'WITHHOLD',
};

export const CONDITION_FAILURE: Record<Condition, Reason> = {
  ON_CASELOAD: 'NOT_ON_CASELOAD',
  OWN_VICTIM_CASE: 'NOT_OWN_VICTIM_CASE',
  OWN_VICTIM: 'NOT_OWN_VICTIM',
  ADULT_AT_OFFENCE: 'YOUTH_RECORD',
  NOT_RESTRICTED: 'RESTRICTED_RECORD',
  OWN_AGENCY_RECORDS: 'NOT_OWN_AGENCY_RECORDS',
};

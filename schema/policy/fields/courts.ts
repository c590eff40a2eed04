// courts: case records. Court listing sees remand and custody time limits, never offence histories.
// Youth records (an offence before 18) go only to police, CPS and the courts themselves.
import type { FieldTable } from '../index.js';

/** Whose staff see this data as their own (`own` grants). */
export const owner = 'COURTS';

const LISTING = 'COURT_LISTING_OFFICER : COURT_LISTING | own';
const CPS = 'CPS_PROSECUTOR : PROSECUTION | ISA-COURTS-CJS';
const POLICE = 'POLICE_OFFICER : INVESTIGATION | ISA-COURTS-CJS';
const PRISONS_ANY = 'PRISON_OFFICER : CUSTODY_MANAGEMENT | ISA-COURTS-CJS';
const PROBATION_ANY = 'PROBATION_OFFICER : OFFENDER_MANAGEMENT | ISA-COURTS-CJS';
// On a case's own fields, prisons, probation and victim liaison see adult cases only.
const PRISONS = `${PRISONS_ANY} | if ADULT_AT_OFFENCE`;
const PROBATION = `${PROBATION_ANY} | if ADULT_AT_OFFENCE`;
const VICTIMS = 'VICTIM_LIAISON_OFFICER : VICTIM_CONTACT | ISA-COURTS-VICTIMS | if OWN_VICTIM_CASE & ADULT_AT_OFFENCE';

export const courts: FieldTable = {
  'Person.id':                   ['OPERATIONAL : * | ISA-CJS-IDENTITY'],
  'Person.cases':                [LISTING, CPS, POLICE, PRISONS_ANY, PROBATION_ANY,
                                  'VICTIM_LIAISON_OFFICER : VICTIM_CONTACT | ISA-COURTS-VICTIMS | if OWN_VICTIM_CASE'],
  'Person.courtDefendant':       [LISTING, CPS],
  'Query.case':                  [LISTING, CPS, POLICE, PRISONS_ANY, PROBATION_ANY,
                                  'VICTIM_LIAISON_OFFICER : VICTIM_CONTACT | ISA-COURTS-VICTIMS'],
  'Case.urn':                    [LISTING, CPS, POLICE, PRISONS, PROBATION, VICTIMS],
  'Case.asn':                    [LISTING, CPS, POLICE],
  'Case.court':                  [LISTING, CPS, POLICE, PRISONS, PROBATION, VICTIMS],
  'Case.hearings':               [LISTING, CPS, POLICE, PRISONS, PROBATION, VICTIMS],
  'Case.bailStatus':             [LISTING, CPS, POLICE, PRISONS, PROBATION],
  'Case.remandedInCustody':      [LISTING, CPS, POLICE, PRISONS, PROBATION],
  'Case.custodyTimeLimitExpiry': [LISTING, CPS, PRISONS],
  'Case.charges':                [CPS, POLICE, PRISONS, PROBATION],
  'Case.defendant':              [LISTING, CPS],
  // Where a case came from goes with the case: to whoever may see any of its own fields (as its URN).
  'Case.provenance':             [LISTING, CPS, POLICE, PRISONS, PROBATION, VICTIMS],
  // The defendant as a person of the graph, for those who work from the case to the person: listing
  // (custody status), prosecution, and victim liaison for their own victims' adult cases. What each agency
  // shows of the person is decided there.
  'Case.offender':               [LISTING, CPS, VICTIMS],
  'LinkedRecord.*':              [LISTING, CPS, 'VICTIM_LIAISON_OFFICER : VICTIM_CONTACT | ISA-COURTS-VICTIMS'],
  // What happened on a person's cases: to whoever may see their cases, item by item as the cases themselves.
  'Person.courtEvents':          [LISTING, CPS, POLICE, PRISONS_ANY, PROBATION_ANY],
  'CourtEvent.*':                [LISTING, CPS, POLICE, PRISONS, PROBATION],
  'BailStatus.*':                'INHERIT',
  'Hearing.*':                   'INHERIT',
  'Charge.*':                    'INHERIT',
  'OffenceQualifier.*':          'INHERIT',
  'Plea.*':                      'INHERIT',
  'Finding.*':                   'INHERIT',
  'Outcome.*':                   'INHERIT',
  'CourtDefendantRecord.*':      'INHERIT',
  // The court list and its priorities (Common Platform hearings): the courts' own listing officers, listing.
  // Each case's defendant is a LinkedRecord (above); what each agency shows of the person is decided there.
  'Query.courtList':             [LISTING],
  'Query.remandCases':           [LISTING],
  'Query.courtBacklog':          [LISTING],
  'CourtListPage.*':             'INHERIT',
  'ListedCase.*':                'INHERIT',
  'RemandCasePage.*':            'INHERIT',
  'RemandCounts.*':              'INHERIT',
  'RemandCase.*':                'INHERIT',
  'CustodyTimeLimit.*':          'INHERIT',
  'CourtBacklog.*':              'INHERIT',
  // Aggregates (counts only, under disclosure control: schema/policy/statistics.ts), for performance analysts.
  'Query.courtStatistics':       ['PERFORMANCE_ANALYST : STATISTICS | ISA-CJS-STATISTICS'],
  'CourtStatistics.*':           'INHERIT',
  // Internal fields (subgraphs/internal.ts): only the named service's own signed call, never a person.
  'Query._identityRecords':        ['SERVICE identity'],
  'Query._identitySearch':         ['SERVICE identity'],
  'Query._defendantsOfCases':      ['SERVICE gateway'],
  'Query._dataQualityScan':        ['SERVICE identity'],
};

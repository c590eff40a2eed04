// prisons: custody in NOMIS. A victim liaison officer learns release dates for offenders in their own
// victims' cases, never where the prisoner is held or their health alerts.
import type { FieldTable } from '../index.js';

/** Whose staff see this data as their own (`own` grants). */
export const owner = 'PRISONS';

// Everyone who may see custody may see where it is served, except victim liaison: a victim is told when, never where.
const WHERE = [
  'PRISON_OFFICER : * | own',
  'POLICE_OFFICER, CUSTODY_OFFICER : * | ISA-HMPPS-POLICE',
  'PROBATION_OFFICER : OFFENDER_MANAGEMENT, SAFEGUARDING | ISA-HMPPS-INTERNAL',
  'COURT_LISTING_OFFICER : COURT_LISTING | ISA-HMPPS-COURTS',
  'CPS_PROSECUTOR : PROSECUTION | ISA-HMPPS-COURTS',
];

const CUSTODY = [
  'PRISON_OFFICER : * | own',
  'POLICE_OFFICER, CUSTODY_OFFICER : * | ISA-HMPPS-POLICE',
  'PROBATION_OFFICER : OFFENDER_MANAGEMENT, SAFEGUARDING | ISA-HMPPS-INTERNAL',
  'COURT_LISTING_OFFICER : COURT_LISTING | ISA-HMPPS-COURTS',
  'CPS_PROSECUTOR : PROSECUTION | ISA-HMPPS-COURTS',
  'VICTIM_LIAISON_OFFICER : VICTIM_CONTACT | ISA-VCS | if OWN_VICTIM_CASE',
];

export const prisons: FieldTable = {
  'Person.id':                      ['OPERATIONAL : * | ISA-CJS-IDENTITY'],
  'Person.custodyPeriods':          CUSTODY,
  'Person.nextReleaseDate':         CUSTODY,
  'Person.prisonAlerts':            ['PRISON_OFFICER : * | own'],
  'Person.prisonRecord':            ['PRISON_OFFICER : * | own',
                                     'POLICE_OFFICER, CUSTODY_OFFICER : * | ISA-HMPPS-POLICE',
                                     'PROBATION_OFFICER : OFFENDER_MANAGEMENT | ISA-HMPPS-INTERNAL'],
  'CustodyPeriod.*':                'INHERIT',
  'CustodyPeriod.prison':           WHERE,
  'CustodyPeriod.cellLocation':     ['PRISON_OFFICER : * | own',
                                     'POLICE_OFFICER : INVESTIGATION | ISA-HMPPS-POLICE'],
  'CustodyPeriod.sentenceLengthDays': ['PRISON_OFFICER : * | own',
                                     'POLICE_OFFICER, CUSTODY_OFFICER : * | ISA-HMPPS-POLICE',
                                     'PROBATION_OFFICER : OFFENDER_MANAGEMENT, SAFEGUARDING | ISA-HMPPS-INTERNAL',
                                     'CPS_PROSECUTOR : PROSECUTION | ISA-HMPPS-COURTS'],
  'PrisonAlert.*':                  'INHERIT',
  'PrisonerRecord.*':               'INHERIT',
  'PrisonerAlias.*':                'INHERIT',
  // The roll of an establishment, for a shift handover: the prison's own officers, for custody management.
  'Query.prisonRoll':               ['PRISON_OFFICER : CUSTODY_MANAGEMENT | own'],
  'PrisonRoll.*':                   'INHERIT',
  'RollCounts.*':                   'INHERIT',
  'RollEntry.*':                    'INHERIT',
  'RollChange.*':                   'INHERIT',
  // Aggregates (counts only, under disclosure control: schema/policy/statistics.ts), for performance analysts.
  'Query.remandPopulation':         ['PERFORMANCE_ANALYST : STATISTICS | ISA-CJS-STATISTICS'],
  // Internal fields (subgraphs/internal.ts): only the named service's own signed call, never a person.
  'Query._identityRecords':        ['SERVICE identity'],
  'Query._identitySearch':         ['SERVICE identity'],
  'Query._dataQualityScan':        ['SERVICE identity'],
};

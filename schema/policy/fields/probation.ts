// probation: supervision in nDelius. Full detail only for the officer's own caseload; a restricted or
// excluded record only for its offender manager; licence exclusion zones to victim liaison for the
// officer's own victims' cases; officer notes never leave the caseload.
import type { FieldTable } from '../index.js';

/** Whose staff see this data as their own (`own` grants). */
export const owner = 'PROBATION';

const OWN = 'PROBATION_OFFICER : * | own | if NOT_RESTRICTED';
const OWN_CASELOAD = 'PROBATION_OFFICER : * | own | if ON_CASELOAD & NOT_RESTRICTED';
const POLICE = 'POLICE_OFFICER : INVESTIGATION, SAFEGUARDING | ISA-HMPPS-POLICE | if NOT_RESTRICTED';
const PRISONS = 'PRISON_OFFICER : CUSTODY_MANAGEMENT, SAFEGUARDING | ISA-HMPPS-INTERNAL | if NOT_RESTRICTED';
const VICTIMS = 'VICTIM_LIAISON_OFFICER : VICTIM_CONTACT | ISA-VCS | if NOT_RESTRICTED';

export const probation: FieldTable = {
  'Person.id':                     ['OPERATIONAL : * | ISA-CJS-IDENTITY'],
  'Person.supervision':            ['PROBATION_OFFICER : * | own',
                                    'POLICE_OFFICER : INVESTIGATION, SAFEGUARDING | ISA-HMPPS-POLICE',
                                    'PRISON_OFFICER : CUSTODY_MANAGEMENT, SAFEGUARDING | ISA-HMPPS-INTERNAL',
                                    'VICTIM_LIAISON_OFFICER : VICTIM_CONTACT | ISA-VCS | if OWN_VICTIM_CASE'],
  'Person.probationRecord':        ['PROBATION_OFFICER : * | own',
                                    'POLICE_OFFICER : INVESTIGATION, SAFEGUARDING | ISA-HMPPS-POLICE',
                                    'PRISON_OFFICER : CUSTODY_MANAGEMENT, SAFEGUARDING | ISA-HMPPS-INTERNAL'],
  'Supervision.crn':               [OWN, POLICE, PRISONS, VICTIMS],
  // Where the supervision came from goes with it, as its CRN does.
  'Supervision.provenance':        [OWN, POLICE, PRISONS, VICTIMS],
  'Supervision.offenderManager':   [OWN, POLICE, PRISONS],
  'Supervision.registrations':     [OWN_CASELOAD, POLICE, PRISONS],
  'Supervision.requirements':      [OWN_CASELOAD],
  'Supervision.licenceConditions': [OWN_CASELOAD, POLICE, VICTIMS],
  'Supervision.restricted':        ['PROBATION_OFFICER : * | own'],
  'Supervision.excluded':          ['PROBATION_OFFICER : * | own'],
  'Supervision.officerNotes':      [OWN_CASELOAD],
  'ProbationOffenderRecord.*':     [OWN, POLICE, PRISONS],
  'OffenderManager.*':             'INHERIT',
  'ProbationUnit.*':               'INHERIT',
  'Registration.*':                'INHERIT',
  'Requirement.*':                 'INHERIT',
  'LicenceCondition.*':            'INHERIT',
  // The caller's own caseload: an offender manager managing offenders, nobody else.
  'Query.myCaseload':              ['PROBATION_OFFICER : OFFENDER_MANAGEMENT | own'],
  'CaseloadPage.*':                'INHERIT',
  'LinkedRecord.*':                ['PROBATION_OFFICER : OFFENDER_MANAGEMENT | own'],
  // Internal fields (subgraphs/internal.ts): only the named service's own signed call, never a person.
  'Query._identityRecords':        ['SERVICE identity'],
  'Query._identitySearch':         ['SERVICE identity'],
  'Query._caseload':               ['SERVICE gateway'],
  'Query._dataQualityScan':        ['SERVICE identity'],
};

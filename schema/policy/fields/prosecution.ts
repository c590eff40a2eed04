// prosecution: the prosecution service's case files. Prosecutors see case files, charging decisions and
// review status for prosecution; the witness care unit sees the victims and witnesses it keeps informed,
// for victim contact. The investigating police learn the charging decision on their cases under the
// charging agreement (ISA-CPS-POLICE), and nothing else of the file. No one else sees anything.
import type { FieldTable } from '../index.js';

/** Whose staff see this data as their own (`own` grants): the Crown Prosecution Service. */
export const owner = 'CPS';

const CPS = 'CPS_PROSECUTOR : PROSECUTION | own';
const WCU = 'WITNESS_CARE_OFFICER : VICTIM_CONTACT | own';
const POLICE = 'POLICE_OFFICER : INVESTIGATION | ISA-CPS-POLICE';

export const prosecution: FieldTable = {
  'Query.prosecutionCase':              [CPS, WCU],
  'Person.id':                          [CPS, POLICE],
  'Person.prosecutionCases':            [CPS, POLICE],
  'Case.urn':                           [CPS, WCU],
  'Case.prosecution':                   [CPS, WCU],
  // The case file: prosecutors see all of it; witness care sees which case it is and its contacts.
  'ProsecutionCaseFile.*':              [CPS],
  'ProsecutionCaseFile.id':             [CPS, WCU, POLICE],
  'ProsecutionCaseFile.urn':            [CPS, WCU, POLICE],
  'ProsecutionCaseFile.chargingDecision': [CPS, POLICE],
  'ProsecutionCaseFile.witnessCare':    [CPS, WCU],
  'ProsecutionCaseFile.provenance':     [CPS, WCU, POLICE],
  'ProsecutingAuthority.*':             'INHERIT',
  'ProsecutionDefendant.*':             'INHERIT',
  'ProsecutionCharge.*':                'INHERIT',
  'ChargingDecision.*':                 'INHERIT',
  'CaseReview.*':                       'INHERIT',
  'WitnessCareContact.*':               'INHERIT',
};

// police: the records-management system. Intelligence never leaves the police; warning markers go to
// prisons and to a probation officer for their own caseload under MAPPA.
import type { FieldTable } from '../index.js';

/** Whose staff see this data as their own (`own` grants). */
export const owner = 'POLICE';

export const police: FieldTable = {
  'Person.id':                 ['OPERATIONAL : * | ISA-CJS-IDENTITY'],
  'Person.policeNominal':      ['POLICE : * | own',
                                'CPS_PROSECUTOR : PROSECUTION | ISA-POLICE-CPS'],
  'Person.arrests':            ['POLICE : * | own',
                                'CPS_PROSECUTOR : PROSECUTION | ISA-POLICE-CPS',
                                'PROBATION_OFFICER : OFFENDER_MANAGEMENT | ISA-POLICE-HMPPS | if ON_CASELOAD'],
  // Events are the arrests, one line each: whoever may see the arrests may see them.
  'Person.policeEvents':       ['POLICE : * | own',
                                'CPS_PROSECUTOR : PROSECUTION | ISA-POLICE-CPS',
                                'PROBATION_OFFICER : OFFENDER_MANAGEMENT | ISA-POLICE-HMPPS | if ON_CASELOAD'],
  'PoliceEvent.*':             'INHERIT',
  'Person.warningMarkers':     ['POLICE : * | own',
                                'CPS_PROSECUTOR : PROSECUTION | ISA-POLICE-CPS',
                                'PRISON_OFFICER : CUSTODY_MANAGEMENT, SAFEGUARDING | ISA-POLICE-HMPPS',
                                'PROBATION_OFFICER : OFFENDER_MANAGEMENT, SAFEGUARDING | ISA-POLICE-HMPPS | if ON_CASELOAD'],
  'Person.intelligenceFlags':  ['POLICE_OFFICER, INTELLIGENCE_ANALYST : INVESTIGATION | own'],
  'PoliceNominalRecord.*':     'INHERIT',
  'Arrest.*':                  'INHERIT',
  'CustodyRecord.*':           'INHERIT',
  'WarningMarker.*':           'INHERIT',
  'IntelligenceFlag.*':        'INHERIT',
  // Internal fields (subgraphs/internal.ts): only the named service's own signed call, never a person.
  'Query._identityRecords':        ['SERVICE identity'],
  'Query._identitySearch':         ['SERVICE identity'],
  'Query._dataQualityScan':        ['SERVICE identity'],
};

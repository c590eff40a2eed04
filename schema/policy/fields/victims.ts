// victims: the victim contact scheme. No one outside victim services ever sees a victim's name,
// address or contact details; the investigating police may see that a victim exists and has opted in.
import type { FieldTable } from '../index.js';

/** Whose staff see this data as their own (`own` grants). */
export const owner = 'VICTIMS';

const VLO = 'VICTIM_LIAISON_OFFICER : VICTIM_CONTACT | own';
const VLO_OWN = 'VICTIM_LIAISON_OFFICER : VICTIM_CONTACT | own | if OWN_VICTIM';
const VLO_OWN_CASE = 'VICTIM_LIAISON_OFFICER : VICTIM_CONTACT | own | if OWN_VICTIM_CASE';
const POLICE = 'POLICE_OFFICER : INVESTIGATION, SAFEGUARDING | ISA-VICTIMS-POLICE';

export const victims: FieldTable = {
  'Query.victim':                  [VLO],
  'Case.urn':                      [VLO_OWN_CASE, POLICE],
  'Case.victims':                  [VLO_OWN_CASE, POLICE],
  'Victim.id':                     [VLO_OWN, POLICE],
  // Where the record came from goes with it, as its id does.
  'Victim.provenance':             [VLO_OWN, POLICE],
  'Victim.contactScheme':          [VLO_OWN, POLICE],
  'Victim.name':                   [VLO_OWN],
  'Victim.dateOfBirth':            [VLO_OWN],
  'Victim.address':                [VLO_OWN],
  'Victim.contactPreferences':     [VLO_OWN],
  'Victim.liaisonOfficer':         [VLO_OWN],
  'Victim.lastUpdated':            [VLO_OWN],
  'Victim.informedCase':           [VLO_OWN],
  // The caller's own victims: a liaison officer keeping victims informed, nobody else.
  'Query.myVictims':               [VLO],
  'VictimPage.*':                  'INHERIT',
  'VictimContactScheme.*':         'INHERIT',
  'ContactPreferences.*':          'INHERIT',
  // Internal fields (subgraphs/internal.ts): only the named service's own signed call, never a person.
  'Query._victimsOfOfficer':       ['SERVICE gateway'],
  'Query._dataQualityScan':        ['SERVICE identity'],
};

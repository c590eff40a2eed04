// Information-sharing agreements: who may receive what from whom, for which purposes, and when.
// After `ends` an agreement's grants stop applying (AGREEMENT_EXPIRED); before `starts` they do not
// apply yet. Dates are inclusive and in UTC.
import type { Purpose } from './vocabulary.js';

export interface Agreement {
  name: string;
  /** The agency whose data is shared. */
  owner: string;
  /** The agencies (token `agency` claim) that receive it. */
  receivers: string[];
  purposes: Purpose[];
  starts: string;
  ends: string;
  /** The legal basis, for the reviewer. */
  basis: string;
}

export const AGREEMENTS = {
  'ISA-CJS-IDENTITY': {
    name: 'Criminal justice identity linkage', owner: 'ALL', receivers: ['POLICE', 'CPS', 'COURTS', 'PRISONS', 'PROBATION', 'VICTIMS'],
    purposes: ['INVESTIGATION', 'SAFEGUARDING', 'PROSECUTION', 'COURT_LISTING', 'CUSTODY_MANAGEMENT', 'OFFENDER_MANAGEMENT', 'VICTIM_CONTACT'],
    starts: '2024-04-01', ends: '2029-03-31', basis: 'DPA 2018 Part 3; each agency\'s statutory functions',
  },
  'ISA-POLICE-CPS': {
    name: 'Police case files to the CPS', owner: 'POLICE', receivers: ['CPS'], purposes: ['PROSECUTION'],
    starts: '2024-04-01', ends: '2029-03-31', basis: 'Director\'s Guidance on Charging',
  },
  'ISA-POLICE-HMPPS': {
    name: 'Police risk information to prisons and probation (MAPPA)', owner: 'POLICE', receivers: ['PRISONS', 'PROBATION'],
    purposes: ['CUSTODY_MANAGEMENT', 'OFFENDER_MANAGEMENT', 'SAFEGUARDING'], starts: '2024-04-01', ends: '2027-03-31', basis: 'Criminal Justice Act 2003 s.325 (MAPPA)',
  },
  'ISA-COURTS-CJS': {
    name: 'Court case records to justice partners', owner: 'COURTS', receivers: ['POLICE', 'CPS', 'PRISONS', 'PROBATION'],
    purposes: ['INVESTIGATION', 'PROSECUTION', 'CUSTODY_MANAGEMENT', 'OFFENDER_MANAGEMENT'], starts: '2024-04-01', ends: '2029-03-31', basis: 'Criminal Procedure Rules',
  },
  'ISA-COURTS-VICTIMS': {
    name: 'Case and hearing information to victim liaison', owner: 'COURTS', receivers: ['VICTIMS'], purposes: ['VICTIM_CONTACT'],
    starts: '2024-04-01', ends: '2029-03-31', basis: 'Code of Practice for Victims of Crime',
  },
  'ISA-HMPPS-POLICE': {
    name: 'Prison and probation records to the police', owner: 'HMPPS', receivers: ['POLICE'], purposes: ['INVESTIGATION', 'SAFEGUARDING', 'CUSTODY_MANAGEMENT'],
    starts: '2024-04-01', ends: '2029-03-31', basis: 'DPA 2018 s.35; MAPPA',
  },
  'ISA-HMPPS-INTERNAL': {
    name: 'Sharing between prisons and probation', owner: 'HMPPS', receivers: ['PRISONS', 'PROBATION'], purposes: ['CUSTODY_MANAGEMENT', 'OFFENDER_MANAGEMENT', 'SAFEGUARDING'],
    starts: '2024-04-01', ends: '2029-03-31', basis: 'Offender Management Act 2007',
  },
  'ISA-HMPPS-COURTS': {
    name: 'Remand custody to court listing', owner: 'HMPPS', receivers: ['COURTS', 'CPS'], purposes: ['COURT_LISTING', 'PROSECUTION'],
    starts: '2024-04-01', ends: '2029-03-31', basis: 'Prosecution of Offences (Custody Time Limits) Regulations 1987',
  },
  'ISA-VCS': {
    name: 'Victim Contact Scheme: release and licence information to victim liaison', owner: 'HMPPS', receivers: ['VICTIMS'], purposes: ['VICTIM_CONTACT'],
    starts: '2024-04-01', ends: '2029-03-31', basis: 'Domestic Violence, Crime and Victims Act 2004 ss.35–45',
  },
  'ISA-CPS-POLICE': {
    name: 'Charging decisions to the investigating police', owner: 'CPS', receivers: ['POLICE'], purposes: ['INVESTIGATION'],
    starts: '2024-04-01', ends: '2029-03-31', basis: 'Director\'s Guidance on Charging: the prosecutor\'s decision goes back to the officer in the case',
  },
  'ISA-VICTIMS-POLICE': {
    name: 'Victim contact scheme status to the investigating police', owner: 'VICTIMS', receivers: ['POLICE'], purposes: ['INVESTIGATION', 'SAFEGUARDING'],
    starts: '2024-04-01', ends: '2029-03-31', basis: 'Code of Practice for Victims of Crime',
  },
  'ISA-CJS-STATISTICS': {
    name: 'Aggregate statistics from every agency to the Ministry of Justice, under disclosure control', owner: 'ALL', receivers: ['MOJ'], purposes: ['STATISTICS'],
    starts: '2024-04-01', ends: '2029-03-31', basis: 'Statistics and Registration Service Act 2007; Victims and Prisoners Act 2024 reporting duties; counts only, never a named person',
  },
  'ISA-CJS-DATA-QUALITY': {
    name: 'Counts of data problems shared between the agencies\' records managers and the cross-agency data-quality officer', owner: 'ALL',
    receivers: ['MOJ', 'POLICE', 'COURTS', 'PRISONS', 'PROBATION', 'VICTIMS'], purposes: ['DATA_QUALITY'],
    starts: '2024-04-01', ends: '2029-03-31', basis: 'Each agency\'s duty to keep personal data accurate (DPA 2018 s.38); counts to all, record ids only to the agency that holds them',
  },
} as const satisfies Record<string, Agreement>;
export type AgreementId = keyof typeof AGREEMENTS;

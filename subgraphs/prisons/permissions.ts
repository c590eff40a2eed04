// Disclosure policy for the prisons subgraph, read top to bottom as a table. Custody facts go to the
// agencies that act on them; the cell only to prisons and police; alerts (medical and self-harm among
// them) stay with prison staff; the identity record goes to those who link and manage offenders.
import type { IRules } from 'graphql-shield';
import { isAnyCaller, isFromAgency } from '../rules.js';

const custodyAgencies = isFromAgency('PRISONS', 'POLICE', 'PROBATION', 'COURTS', 'VICTIMS');
const cellAgencies = isFromAgency('PRISONS', 'POLICE');
const prisonStaff = isFromAgency('PRISONS');
const recordAgencies = isFromAgency('PRISONS', 'POLICE', 'PROBATION');

export const permissions: IRules = {
  Person: {
    id: isAnyCaller,
    custodyPeriods: custodyAgencies,
    nextReleaseDate: custodyAgencies,
    prisonAlerts: prisonStaff,
    prisonRecord: recordAgencies,
  },
  CustodyPeriod: {
    '*': custodyAgencies,
    cellLocation: cellAgencies,
  },
  PrisonAlert: { '*': prisonStaff },
  PrisonerRecord: { '*': recordAgencies },
  PrisonerIdentifierCheck: { '*': recordAgencies },
  PrisonerAlias: { '*': recordAgencies },
};

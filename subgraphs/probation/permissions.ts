// Who may see what the probation service holds, under the first, simple policy. Supervision itself
// and its CRN are open to all five agencies so that courts and victims can reach the sub-fields meant
// for them; everything below is decided field by field.
import type { IRules } from 'graphql-shield';
import { isAnyCaller, isFromAgency } from '../rules.js';

const allAgencies = isFromAgency('PROBATION', 'POLICE', 'PRISONS', 'COURTS', 'VICTIMS');
const riskReaders = isFromAgency('PROBATION', 'POLICE', 'PRISONS');
const orderReaders = isFromAgency('PROBATION', 'COURTS');
const licenceReaders = isFromAgency('PROBATION', 'POLICE', 'VICTIMS');
const probationOnly = isFromAgency('PROBATION');

export const permissions: IRules = {
  Person: {
    id: isAnyCaller,
    supervision: allAgencies,
    probationRecord: riskReaders,
  },
  Supervision: {
    crn: allAgencies,
    offenderManager: riskReaders,
    registrations: riskReaders,
    restricted: riskReaders,
    excluded: riskReaders,
    requirements: orderReaders,
    licenceConditions: licenceReaders,
    officerNotes: probationOnly,
  },
  OffenderManager: { '*': riskReaders },
  ProbationUnit: { '*': riskReaders },
  Registration: { '*': riskReaders },
  Requirement: { '*': orderReaders },
  LicenceCondition: { '*': licenceReaders },
  ProbationOffenderRecord: { '*': riskReaders },
  ProbationIdentifierCheck: { '*': riskReaders },
};

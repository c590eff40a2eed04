// The courts disclosure policy, read top to bottom: any vouched-for caller may hold a person key;
// criminal-justice agencies see cases; only court and prosecution staff see the defendant record,
// which carries the home address.
import type { IRules } from 'graphql-shield';
import { isAnyCaller, isFromAgency } from '../rules.js';

const isJusticeAgency = isFromAgency('COURTS', 'POLICE', 'CPS', 'PRISONS', 'PROBATION');
const isCourtOrProsecution = isFromAgency('COURTS', 'CPS');

export const permissions: IRules = {
  Query: { case: isJusticeAgency },
  Person: { id: isAnyCaller, cases: isJusticeAgency, courtDefendant: isCourtOrProsecution },
  // Case.defendant is narrowed to the record's own audience, so other callers do not cost a legacy call for fields they may not see.
  Case: { '*': isJusticeAgency, defendant: isCourtOrProsecution },
  BailStatus: { '*': isJusticeAgency },
  Hearing: { '*': isJusticeAgency },
  Charge: { '*': isJusticeAgency },
  OffenceQualifier: { '*': isJusticeAgency },
  Plea: { '*': isJusticeAgency },
  Finding: { '*': isJusticeAgency },
  Outcome: { '*': isJusticeAgency },
  CourtDefendantRecord: { '*': isCourtOrProsecution },
};

// The police subgraph's disclosure policy, read top to bottom: anyone sees the key; police and CPS see
// the nominal record, arrests and custody; prisons and probation also see warning markers, which keep
// their staff safe; intelligence flags stay with the police.
import type { IRules } from 'graphql-shield';
import { isAnyCaller, isFromAgency } from '../rules.js';

const policeOrCps = isFromAgency('POLICE', 'CPS');
const safetyPartners = isFromAgency('POLICE', 'PRISONS', 'PROBATION');
const policeOnly = isFromAgency('POLICE');

export const permissions: IRules = {
  Person: {
    id: isAnyCaller,
    policeNominal: policeOrCps,
    arrests: policeOrCps,
    warningMarkers: safetyPartners,
    intelligenceFlags: policeOnly,
  },
  PoliceNominalRecord: { '*': policeOrCps },
  Arrest: { '*': policeOrCps },
  CustodyRecord: { '*': policeOrCps },
  WarningMarker: { '*': safetyPartners },
  IntelligenceFlag: { '*': policeOnly },
};

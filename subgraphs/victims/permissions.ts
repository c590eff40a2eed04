// Who sees what of the victims subgraph, read top to bottom as a table. Police see that a case has
// victims and whether they joined the contact scheme; no one outside victim services ever sees a
// victim's name, date of birth, address or contact details.
import type { IRules } from 'graphql-shield';
import { isAnyCaller, isFromAgency } from '../rules.js';

const victimServices = isFromAgency('VICTIMS');
const victimServicesAndPolice = isFromAgency('VICTIMS', 'POLICE');

export const permissions: IRules = {
  Query: {
    victim: victimServices,
  },
  Case: {
    urn: isAnyCaller,
    victims: victimServicesAndPolice,
  },
  Victim: {
    id: victimServicesAndPolice,
    contactScheme: victimServicesAndPolice,
    name: victimServices,
    dateOfBirth: victimServices,
    address: victimServices,
    contactPreferences: victimServices,
    liaisonOfficer: victimServices,
    lastUpdated: victimServices,
  },
  VictimContactScheme: { '*': victimServicesAndPolice },
  ContactPreferences: { '*': victimServices },
  // PersonName and Address inherit the decision on the Victim field that returned them (harness base rules).
};

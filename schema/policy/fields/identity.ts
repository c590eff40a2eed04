// identity: who a person is. Every operational role may see basic identity under the CJS identity
// agreement; performance analysts and auditors see no named person.
import type { FieldTable } from '../index.js';

/** Whose staff see this data as their own (`own` grants). */
export const owner = 'ALL';

const IDENTITY = 'OPERATIONAL : * | ISA-CJS-IDENTITY';
const DATA_QUALITY = 'RECORDS_MANAGERS : DATA_QUALITY | ISA-CJS-DATA-QUALITY';

export const identity: FieldTable = {
  'Query.personByIdentifier':  [IDENTITY],
  'Query.person':              [IDENTITY],
  'Query.searchPeople':        [IDENTITY],
  'Person.*':                  [IDENTITY],
  'AgencyLink.*':              'INHERIT',
  'MatchCandidate.*':          'INHERIT',
  'ConflictingValue.*':        'INHERIT',
  'SourcedValue.*':            'INHERIT',
  'RejectedIdentifier.*':      'INHERIT',
  'DataQualityProblem.*':      'INHERIT',
  'PersonMatch.*':             'INHERIT',
  // An agency worklist's record, linked to its person here; the worklist's own root field decides who gets it.
  'LinkedRecord.*':            [IDENTITY],
  // Each agency's data-quality report: counts to every agency's records managers and the cross-agency
  // data-quality officer; the examples (record ids) only to the staff of the agency that holds the records.
  'Query.dataQualityReport':   [DATA_QUALITY, 'DATA_QUALITY_OFFICER : DATA_QUALITY | ISA-CJS-DATA-QUALITY'],
  'DataQualityReport.*':       'INHERIT',
  'DataQualityCount.*':        'INHERIT',
  'DataQualityCount.examples': [`${DATA_QUALITY} | if OWN_AGENCY_RECORDS`],
  // Internal fields (subgraphs/internal.ts): only the named service's own signed call, never a person.
  'Query._linkedRecords':          ['SERVICE audit'],
};

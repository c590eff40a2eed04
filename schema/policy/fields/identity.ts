// identity: who a person is. Every operational role may see basic identity under the CJS identity
// agreement; performance analysts and auditors see no named person.
import type { FieldTable } from '../index.js';

/** Whose staff see this data as their own (`own` grants). */
export const owner = 'ALL';

const IDENTITY = 'OPERATIONAL : * | ISA-CJS-IDENTITY';

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
  // Internal fields (subgraphs/internal.ts): only the named service's own signed call, never a person.
  'Query._linkedRecords':          ['SERVICE audit'],
};

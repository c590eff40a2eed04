// identity: who a person is (names, dates of birth, identifiers and how records were linked) is the
// basic identity every authenticated caller may see under the first policy.
import type { IRules } from 'graphql-shield';
import { isAnyCaller } from '../rules.js';

export const permissions: IRules = {
  Query: { personByIdentifier: isAnyCaller, person: isAnyCaller, searchPeople: isAnyCaller },
  Person: { '*': isAnyCaller },
  AgencyLink: { '*': isAnyCaller },
  MatchCandidate: { '*': isAnyCaller },
  ConflictingValue: { '*': isAnyCaller },
  SourcedValue: { '*': isAnyCaller },
  RejectedIdentifier: { '*': isAnyCaller },
  PersonMatch: { '*': isAnyCaller },
};

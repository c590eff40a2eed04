// The only code that speaks to the probation systems: the probation offender search service and the
// nDelius integration API, JSON over HTTP with an HMPPS Auth client-credentials token (refreshed once and
// retried once on 401). Every call is an operation of their contracts (reference/openapi/), or of the
// documented stand-in extension where no public contract has one (the caseload, requirements and licence
// conditions). Batches go in one POST each (/crns, /nomsNumbers up to 512; access and conditions up to
// 500); supervisions have no bulk operation, so they are one bounded, counted GET per case.
import { AdapterError, mapRecord, unreadableReason } from '../errors.js';
import { httpRequest, parseJson, statusError } from '../http.js';
import { checkedIdentifier, meetsSearch, nameKey, normaliseCro, normalisePnc } from '../normalise.js';
import { ClientCredentials, withToken } from '../oauth.js';
import { policyFor, type LegacyPolicy, type LegacyPolicyOptions, type OperationKind } from '../resilience.js';
import { unreadableIdentityRecord, type Identifier, type IdentityRecord, type IdentitySearch, type IdentitySource } from '../../schema/model.js';
import type { Env } from '../../subgraphs/types.js';
import { probationConfig, type ProbationConfig } from './config.js';
import {
  AGENCY, mapCaseAccess, mapLicenceCondition, mapMappa, mapOffenderDetail, mapRequirement, mapRiskRegistration, toIdentityRecord,
  type CaseAccess, type LicenceCondition, type ProbationRecord, type Registration, type Requirement,
} from './mapping.js';
import type {
  WireCaseConditions, WireMatchRequest, WireMatchedBy, WireOffenderDetail, WireOffenderMatches, WireSearchDto, WireSearchPage,
  WireStaffCaseload, WireSupervisionResponse, WireUserAccess,
} from './wire.js';

/** Every operation this adapter calls: method and path template as the contract that declares it writes them. */
export const OPERATIONS = {
  // probation-offender-search.json
  crns: 'POST /crns',
  nomsNumbers: 'POST /nomsNumbers',
  match: 'POST /match',
  searchPeople: 'POST /search/people',
  phrase: 'POST /phrase',
  lduCodes: 'POST /ldu-codes',
  // ndelius.json
  probationCases: 'POST /search/probation-cases',
  supervisions: 'GET /case/{crn}/supervisions',
  access: 'POST /probation-cases/access',
  // ndelius-extensions.json (stand-in extension: no public contract has these)
  caseload: 'GET /staff/{staffCode}/caseload',
  conditions: 'POST /probation-cases/conditions',
} as const;
type Operation = (typeof OPERATIONS)[keyof typeof OPERATIONS];

/** What each operation does: every one is a lookup or a search (the POSTs carry search bodies), so all may be retried. */
const OPERATION_KINDS: Record<Operation, OperationKind> = {
  'POST /crns': 'read', 'POST /nomsNumbers': 'read', 'POST /match': 'read', 'POST /search/people': 'read', 'POST /phrase': 'read', 'POST /ldu-codes': 'read',
  'POST /search/probation-cases': 'read', 'GET /case/{crn}/supervisions': 'read', 'POST /probation-cases/access': 'read',
  'GET /staff/{staffCode}/caseload': 'read', 'POST /probation-cases/conditions': 'read',
};

/** Cases per data-quality scan page (POST /ldu-codes). */
export const SCAN_PAGE_SIZE = 200;

/** The spec caps POST /crns at 512 CRNs per request. */
const MAX_BATCH = 512;
/** nDelius CrnRequest: at most 500 CRNs. */
const MAX_CRN_REQUEST = 500;
const CRN = /^[A-Z]\d{6}$/;

export type Mapped<T> = T | AdapterError;

/** The current registrations of one CRN (nDelius supervisions); a bad item is an AdapterError in its slot. */
export interface SupervisionDetail {
  crn: string;
  registrations: Mapped<Registration>[];
}

/** Requirements and licence conditions of one CRN (stand-in extension); a bad item is an AdapterError in its slot. */
export interface CaseConditions {
  crn: string;
  requirements: Mapped<Requirement>[];
  licenceConditions: Mapped<LicenceCondition>[];
}

export interface SearchResult {
  records: Mapped<ProbationRecord>[];
  totalElements: number;
  pagesRead: number;
  /** True when more pages existed than `searchMaxPages` allowed us to read. */
  truncated: boolean;
}

const chunks = <T>(list: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};
const unique = (list: string[]) => [...new Set(list.map((s) => s.trim().toUpperCase()).filter((s) => s !== ''))];

export class ProbationClient {
  readonly credentials: ClientCredentials;
  readonly identity: IdentitySource;
  /** Breaker, bulkhead, timeout and retries of the probation systems. */
  readonly policy: LegacyPolicy;

  constructor(readonly config: ProbationConfig, options: LegacyPolicyOptions = {}) {
    this.policy = policyFor(AGENCY, config, options);
    this.credentials = new ClientCredentials({
      agency: AGENCY, tokenUrl: `${config.authUrl}/oauth/token`, clientId: config.clientId, clientSecret: config.clientSecret, timeoutMs: config.timeoutMs,
    });
    this.identity = {
      agency: AGENCY,
      supports: ['CRN', 'PNC', 'CRO', 'PRISON_NUMBER'],
      findByIdentifiers: (ids) => this.findByIdentifiers(ids),
      search: (criteria) => this.searchIdentities(criteria),
      searchMany: (criteria) => this.searchIdentitiesMany(criteria),
      tolerantSearch: true,
    };
  }

  /** One authorised JSON call; any non-200 becomes a typed AdapterError (401 → SOURCE_AUTH → refresh and retry once). */
  private call<T>(operation: Operation, url: string, method: 'GET' | 'POST', body?: unknown): Promise<T> {
    // The policy wraps the API call itself; the token service is asked outside it, under its own deadline.
    return withToken(this.credentials, (token) => this.policy.run({ operation, kind: OPERATION_KINDS[operation] }, async (signal) => {
      const res = await httpRequest({
        agency: AGENCY, operation, url, method, signal, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      });
      if (res.status !== 200) throw statusError(AGENCY, operation, res.status);
      return parseJson<T>(AGENCY, operation, res.text);
    }));
  }

  /** A POST to the offender search service. */
  private post<T>(operation: Operation, path: string, body: unknown): Promise<T> {
    return this.call<T>(operation, this.config.baseUrl + path, 'POST', body);
  }

  /** A call to the nDelius integration API (and its stand-in extension). */
  private delius<T>(operation: Operation, path: string, method: 'GET' | 'POST', body?: unknown): Promise<T> {
    return this.call<T>(operation, this.config.deliusUrl + path, method, body);
  }

  private badShape(operation: string, expected: string): AdapterError {
    return new AdapterError({ agency: AGENCY, operation, code: 'BAD_SOURCE_DATA', message: `${AGENCY} system returned an answer that could not be read`, detail: `${expected} in an unexpected shape` });
  }

  private mapDetails(operation: string, list: unknown): Mapped<ProbationRecord>[] {
    if (!Array.isArray(list)) throw this.badShape(operation, 'a list of offenders');
    return (list as WireOffenderDetail[]).map((w, i) => {
      const r = mapRecord(AGENCY, operation, String(w?.otherIds?.crn ?? w?.offenderId ?? `#${i}`), w, mapOffenderDetail);
      const crn = typeof w?.otherIds?.crn === 'string' ? w.otherIds.crn.trim().toUpperCase() : '';
      if (r instanceof AdapterError && CRN.test(crn)) {
        const noms = typeof w.otherIds.nomsNumber === 'string' && w.otherIds.nomsNumber.trim() ? w.otherIds.nomsNumber.trim().toUpperCase() : null;
        unreadable.set(r, unreadableIdentityRecord(AGENCY, crn, 'CRN', {
          pnc: checkedIdentifier('PNC', w.otherIds.pncNumber), cro: checkedIdentifier('CRO', w.otherIds.croNumber),
          crossReferences: noms ? [{ type: 'PRISON_NUMBER', value: noms }] : [],
        }));
      }
      return r;
    });
  }

  private badList(operation: string, value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) throw this.badShape(operation, what);
    return value;
  }

  /**
   * CRNs of the cases a member of staff manages (their caseload), for record-level disclosure rules. No
   * public contract lists a caseload by staff code: this is the stand-in extension's GET /staff/{staffCode}/caseload.
   */
  async caseload(staffCode: string): Promise<string[]> {
    const op = OPERATIONS.caseload;
    if (!/^[A-Za-z0-9]{1,20}$/.test(staffCode)) return [];
    const body = await this.delius<WireStaffCaseload>(op, `/staff/${encodeURIComponent(staffCode.toUpperCase())}/caseload`, 'GET');
    const cases = this.badList(op, body?.cases, 'a caseload') as WireStaffCaseload['cases'] & unknown[];
    return cases.map((c) => c?.crn).filter((c): c is string => typeof c === 'string').map((c) => c.trim().toUpperCase());
  }

  /**
   * What one nDelius user may see of many cases, one POST /probation-cases/access per 500 CRNs. A case the
   * answer leaves out is reported as excluded and restricted: a missing answer never opens a case.
   */
  async accessFor(username: string, crns: string[]): Promise<Map<string, CaseAccess>> {
    const op = OPERATIONS.access;
    const asked = unique(crns);
    const out = new Map<string, CaseAccess>();
    for (const batch of chunks(asked, MAX_CRN_REQUEST)) {
      const body = await this.delius<WireUserAccess>(op, `/probation-cases/access?username=${encodeURIComponent(username)}`, 'POST', { crns: batch });
      for (const w of this.badList(op, body?.access, 'case access')) {
        const a = mapRecord(AGENCY, op, String((w as { crn?: unknown })?.crn ?? 'unknown'), w as never, mapCaseAccess);
        if (!(a instanceof AdapterError) && batch.includes(a.crn)) out.set(a.crn, a);
      }
      for (const c of batch) if (!out.has(c)) out.set(c, { crn: c, userExcluded: true, userRestricted: true });
    }
    return out;
  }

  /** Offenders by CRN, one POST /crns per 512; the map holds found CRNs only (a record or its BAD_SOURCE_DATA). */
  async offendersByCrn(crns: string[]): Promise<Map<string, Mapped<ProbationRecord>>> {
    const asked = unique(crns);
    const out = new Map<string, Mapped<ProbationRecord>>();
    for (const batch of chunks(asked, MAX_BATCH)) {
      const list = await this.post<unknown>(OPERATIONS.crns, '/crns', batch);
      const rawCrns = Array.isArray(list) ? (list as WireOffenderDetail[]).map((w) => [w?.otherIds?.crn, w?.otherIds?.previousCrn]) : [];
      this.mapDetails(OPERATIONS.crns, list).forEach((r, i) => {
        // The service also matches a previous CRN, so key the answer by whichever of the two was asked for.
        for (const c of rawCrns[i]) if (typeof c === 'string' && batch.includes(c.toUpperCase())) out.set(c.toUpperCase(), r);
      });
    }
    return out;
  }

  /** Offenders by prison (NOMS) number, one POST /nomsNumbers per batch. */
  async offendersByNomsNumber(nomsNumbers: string[]): Promise<Map<string, Mapped<ProbationRecord>>> {
    const out = new Map<string, Mapped<ProbationRecord>>();
    for (const batch of chunks(unique(nomsNumbers), MAX_BATCH)) {
      const list = await this.post<unknown>(OPERATIONS.nomsNumbers, '/nomsNumbers', batch);
      const raw = Array.isArray(list) ? (list as WireOffenderDetail[]).map((w) => w?.otherIds?.nomsNumber) : [];
      this.mapDetails(OPERATIONS.nomsNumbers, list).forEach((r, i) => {
        const n = raw[i];
        if (typeof n === 'string') out.set(n.toUpperCase(), r);
      });
    }
    return out;
  }

  /**
   * Current registrations of many cases. nDelius declares no bulk form of GET /case/{crn}/supervisions, so
   * this is one GET per case: at most `supervisionConcurrency` at once and `supervisionMax` per call (the
   * rest get a SOURCE_UNAVAILABLE naming the bound). A case nDelius does not know (404) is absent.
   */
  async supervisionByCrn(crns: string[]): Promise<Map<string, SupervisionDetail | AdapterError>> {
    const op = OPERATIONS.supervisions;
    const asked = unique(crns).filter((c) => CRN.test(c));
    const out = new Map<string, SupervisionDetail | AdapterError>();
    const within = asked.slice(0, this.config.supervisionMax);
    for (const c of asked.slice(this.config.supervisionMax)) {
      out.set(c, new AdapterError({ agency: AGENCY, operation: op, code: 'SOURCE_UNAVAILABLE', systemFault: false, message: `${AGENCY} system answers supervisions one case at a time; more than ${this.config.supervisionMax} cases in one request were not asked` }));
    }
    let next = 0;
    const worker = async () => {
      while (next < within.length) {
        const crn = within[next++];
        try {
          const body = await this.delius<WireSupervisionResponse>(op, `/case/${encodeURIComponent(crn)}/supervisions`, 'GET');
          if (body == null || typeof body !== 'object' || Array.isArray(body)) throw this.badShape(op, 'supervisions');
          const risks = [...(body.dynamicRisks ?? []), ...(body.personStatus ?? [])];
          if (!Array.isArray(body.dynamicRisks ?? []) || !Array.isArray(body.personStatus ?? [])) throw this.badShape(op, 'registrations');
          const registrations: Mapped<Registration>[] = [];
          if (body.mappaDetail != null) registrations.push(mapRecord(AGENCY, op, `${crn}/mappa`, body.mappaDetail, mapMappa));
          risks.forEach((r, i) => registrations.push(mapRecord(AGENCY, op, `${crn}/registration ${r?.code ?? `#${i + 1}`}`, r, mapRiskRegistration)));
          out.set(crn, { crn, registrations });
        } catch (err) {
          if (err instanceof AdapterError && err.code === 'NOT_FOUND') continue;
          out.set(crn, err instanceof AdapterError ? err : new AdapterError({ agency: AGENCY, operation: op, code: 'SOURCE_UNAVAILABLE', cause: err }));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.config.supervisionConcurrency, within.length) }, worker));
    return out;
  }

  /** Requirements and licence conditions of many cases, one POST per 500 CRNs (stand-in extension: no public contract has them). */
  async conditionsByCrn(crns: string[]): Promise<Map<string, CaseConditions>> {
    const op = OPERATIONS.conditions;
    const out = new Map<string, CaseConditions>();
    for (const batch of chunks(unique(crns), MAX_CRN_REQUEST)) {
      const body = await this.delius<{ cases?: WireCaseConditions[] }>(op, '/probation-cases/conditions', 'POST', { crns: batch });
      for (const w of this.badList(op, body?.cases, 'a list of case conditions') as WireCaseConditions[]) {
        if (typeof w?.crn !== 'string') throw this.badShape(op, 'case conditions');
        const crn = w.crn.toUpperCase();
        if (!batch.includes(crn)) continue;
        out.set(crn, {
          crn,
          requirements: (w.requirements ?? []).map((r) => mapRecord(AGENCY, op, `${crn}/requirement/${r?.requirementId}`, r, mapRequirement)),
          licenceConditions: (w.licenceConditions ?? []).map((c) => mapRecord(AGENCY, op, `${crn}/licence-condition/${c?.licenceConditionId}`, c, mapLicenceCondition)),
        });
      }
    }
    return out;
  }

  /** nDelius POST /search/probation-cases: every case matching all supplied attributes (one call, not paged). */
  async searchProbationCases(request: { surname?: string; firstName?: string; dateOfBirth?: string; pncNumber?: string; crn?: string; nomsNumber?: string; includeAliases?: boolean }): Promise<Mapped<ProbationRecord>[]> {
    const op = OPERATIONS.probationCases;
    const body = Object.fromEntries(Object.entries(request).filter(([, v]) => v != null && v !== ''));
    return this.mapDetails(op, await this.delius<unknown>(op, '/search/probation-cases', 'POST', body));
  }

  /** POST /search/people, following pages until the last one or `searchMaxPages`, whichever comes first. */
  async searchPeople(dto: WireSearchDto): Promise<SearchResult> {
    const op = OPERATIONS.searchPeople;
    const records: Mapped<ProbationRecord>[] = [];
    let pageNo = 0;
    let totalElements = 0;
    for (;;) {
      const page = await this.post<WireSearchPage>(op, `/search/people?page=${pageNo}&size=${this.config.searchPageSize}`, dto);
      if (page == null || !Array.isArray(page.content) || typeof page.totalPages !== 'number') throw this.badShape(op, 'a page of offenders');
      records.push(...this.mapDetails(op, page.content));
      totalElements = page.totalElements ?? records.length;
      pageNo++;
      const done = page.last === true || pageNo >= page.totalPages || page.content.length === 0;
      if (done) return { records, totalElements, pagesRead: pageNo, truncated: false };
      if (pageNo >= this.config.searchMaxPages) return { records, totalElements, pagesRead: pageNo, truncated: true };
    }
  }

  /**
   * POST /phrase with matchAllTerms false: every offender matching any of the terms (PNC and CRO numbers
   * among them), in one call for all terms, following pages up to `searchMaxPages`.
   */
  async phraseSearch(terms: string[]): Promise<Mapped<ProbationRecord>[]> {
    const op = OPERATIONS.phrase;
    const records: Mapped<ProbationRecord>[] = [];
    const size = Math.min(1000, Math.max(this.config.searchPageSize, terms.length * 2));
    for (let pageNo = 0; pageNo < this.config.searchMaxPages; pageNo++) {
      const page = await this.post<WireSearchPage>(op, `/phrase?page=${pageNo}&size=${size}`, { phrase: terms.join(' '), matchAllTerms: false, probationAreasFilter: [] });
      if (page == null || !Array.isArray(page.content) || typeof page.totalPages !== 'number') throw this.badShape(op, 'a page of offenders');
      records.push(...this.mapDetails(op, page.content));
      if (page.last === true || pageNo + 1 >= page.totalPages || page.content.length === 0) break;
    }
    return records;
  }

  /**
   * One page of the data-quality scan: POST /ldu-codes (findByLduCode) for the delivery units configured
   * (`PROBATION_DATA_QUALITY_LDU_CODES`), `SCAN_PAGE_SIZE` cases a page, one call. The contract has no date
   * filter, so the scan covers every current case of those units. A case that cannot be read is kept by its
   * CRN with why (the field and what was expected, never the value). `after` is the next page's number.
   */
  async casesOfDeliveryUnits(page: number, size = SCAN_PAGE_SIZE): Promise<{ records: IdentityRecord[]; unreadable: { localId: string; reason: string }[]; after: string | null }> {
    const op = OPERATIONS.lduCodes;
    const codes = this.config.dataQualityLduCodes;
    if (!codes.length) throw new AdapterError({ agency: AGENCY, operation: op, code: 'SOURCE_UNAVAILABLE', systemFault: false, detail: 'PROBATION_DATA_QUALITY_LDU_CODES is not set' });
    const res = await this.post<WireSearchPage>(op, `/ldu-codes?page=${page}&size=${size}`, codes);
    if (res == null || !Array.isArray(res.content) || typeof res.totalPages !== 'number') throw this.badShape(op, 'a page of offenders');
    const records: IdentityRecord[] = [];
    const broken: { localId: string; reason: string }[] = [];
    this.mapDetails(op, res.content).forEach((r, i) => {
      if (!(r instanceof AdapterError)) { records.push(toIdentityRecord(r)); return; }
      broken.push({ localId: unreadable.get(r)?.localId ?? `#${page * size + i + 1}`, reason: unreadableReason(r) });
    });
    const last = res.last === true || page + 1 >= res.totalPages || res.content.length === 0;
    return { records, unreadable: broken, after: last ? null : String(page + 1) };
  }

  /** POST /match: the service's best group of candidates and how it matched them. */
  async match(request: WireMatchRequest): Promise<{ matchedBy: WireMatchedBy; records: Mapped<ProbationRecord>[] }> {
    const body = await this.post<WireOffenderMatches>(OPERATIONS.match, '/match', request);
    if (body == null || !Array.isArray(body.matches) || typeof body.matchedBy !== 'string') throw this.badShape(OPERATIONS.match, 'offender matches');
    return { matchedBy: body.matchedBy, records: this.mapDetails(OPERATIONS.match, body.matches.map((m) => m?.offender)) };
  }

  /** IdentitySource.findByIdentifiers: CRNs and prison numbers in one batch call each; PNC and CRO numbers together in one phrase search (OR). */
  private async findByIdentifiers(ids: Identifier[]): Promise<IdentityRecord[]> {
    const of = (type: Identifier['type']) => ids.filter((i) => i.type === type).map((i) => i.value);
    const pncs = [...new Set(of('PNC').map((p) => normalisePnc(p).value).filter((v): v is string => v !== null))];
    const cros = [...new Set(of('CRO').map((c) => normaliseCro(c).value).filter((v): v is string => v !== null))];
    const [byCrn, byNoms, byPhrase] = await Promise.all([
      of('CRN').length ? this.offendersByCrn(of('CRN')) : new Map<string, Mapped<ProbationRecord>>(),
      of('PRISON_NUMBER').length ? this.offendersByNomsNumber(of('PRISON_NUMBER')) : new Map<string, Mapped<ProbationRecord>>(),
      pncs.length || cros.length ? this.phraseSearch([...pncs, ...cros]) : Promise.resolve([]),
    ]);
    // The service matches PNCs across long and short forms and terms loosely; we confirm on the normalised value
    // (of an unreadable record too, from the keys that could still be read).
    const hits = byPhrase.filter((x) => {
      const keys = x instanceof AdapterError ? unreadable.get(x) : x;
      return keys != null && ((keys.pnc.valid && pncs.includes(keys.pnc.value!)) || (keys.cro.valid && cros.includes(keys.cro.value!)));
    });
    return dedupe([...byCrn.values(), ...byNoms.values(), ...hits]);
  }

  /**
   * IdentitySource.search: nDelius POST /search/probation-cases by surname (and date of birth when given),
   * confirmed on the normalised surname; forename is left to the scorer, since nicknames are common.
   */
  private async searchIdentities(criteria: IdentitySearch): Promise<IdentityRecord[]> {
    const key = nameKey(criteria.surname);
    if (key === '') return [];
    if (criteria.tolerant && !criteria.swapped) return this.searchIdentitiesMany([criteria]);
    const records = await this.searchProbationCases({ surname: criteria.surname.trim(), dateOfBirth: criteria.dateOfBirth ?? undefined });
    return dedupe(records).filter((r) => nameKey(r.name.surname) === key && (!criteria.dateOfBirth || r.dateOfBirth === criteria.dateOfBirth));
  }

  /**
   * IdentitySource.searchMany: every name search of a wave in one POST /phrase (any of the terms), each
   * hit kept for the criteria it meets (meetsSearch: the normalised surname and date of birth, or for a
   * tolerant search a surname alike, or the date of birth with a like forename). One call for N people,
   * instead of one POST /search/people each. The search engine matches name terms fuzzily and against
   * forenames too, so a swapped search needs no term of its own; a tolerant search with a date of birth
   * adds the date as a term (the phrase search reads dates of birth). Forenames are not sent as terms: in
   * an OR phrase each would bring everyone of that forename.
   */
  private async searchIdentitiesMany(criteria: IdentitySearch[]): Promise<IdentityRecord[]> {
    const wanted = criteria.filter((c) => nameKey(c.surname) !== '');
    if (wanted.length === 0) return [];
    // A surname of several words is one term per word; the hit is confirmed on the whole normalised surname below.
    const nameTerms = wanted.filter((c) => !c.swapped).flatMap((c) => c.surname.trim().split(/\s+/)).filter((t) => nameKey(t).length > 1);
    const dateTerms = wanted.filter((c) => c.tolerant && c.forename && c.dateOfBirth && /^\d{4}-\d{2}-\d{2}$/.test(c.dateOfBirth))
      .map((c) => c.dateOfBirth!.split('-').reverse().join('/'));
    const terms = [...new Set([...nameTerms, ...dateTerms])];
    if (terms.length === 0) return Promise.all(wanted.map((c) => this.searchIdentities(c))).then((r) => r.flat());
    const hits = dedupe(await this.phraseSearch(terms));
    return hits.filter((r) => wanted.some((c) => meetsSearch(r, c)));
  }

  /** A cheap authorised call of a declared operation (POST /crns with no CRNs) proving the service answers and takes our token. */
  async health(): Promise<void> {
    const list = await this.post<unknown>(OPERATIONS.crns, '/crns', []);
    if (!Array.isArray(list)) throw this.badShape(OPERATIONS.crns, 'a list of offenders');
  }
}

/** The identity record of an offender record that could not be mapped: its CRN and the keys that still pass their checks. */
const unreadable = new WeakMap<AdapterError, IdentityRecord>();

/**
 * Identity records, one per CRN. A record that could not be mapped is kept as an unreadable record when
 * its CRN is known (the person's probation link is then reported with BAD_SOURCE_DATA, not lost).
 */
function dedupe(records: Mapped<ProbationRecord>[]): IdentityRecord[] {
  const seen = new Map<string, IdentityRecord>();
  for (const r of records) {
    const rec = r instanceof AdapterError ? unreadable.get(r) : toIdentityRecord(r);
    if (rec && (!seen.has(rec.localId) || seen.get(rec.localId)!.unreadable)) seen.set(rec.localId, rec);
  }
  return [...seen.values()];
}

export function createProbationClient(env: Env = process.env): ProbationClient {
  return new ProbationClient(probationConfig(env));
}

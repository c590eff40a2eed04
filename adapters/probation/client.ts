// The only code that speaks to the probation offender search service: JSON over HTTP with an HMPPS Auth
// client-credentials token (refreshed once and retried once on 401). Batches go in one POST each
// (/crns, /nomsNumbers, up to the spec's 512 per call); searches follow pages up to a limit.
import { AdapterError, mapRecord } from '../errors.js';
import { httpRequest, parseJson, statusError } from '../http.js';
import { nameKey, normaliseCro, normalisePnc } from '../normalise.js';
import { ClientCredentials, withToken } from '../oauth.js';
import type { Identifier, IdentityRecord, IdentitySearch, IdentitySource } from '../../schema/model.js';
import type { Env } from '../../subgraphs/types.js';
import { probationConfig, type ProbationConfig } from './config.js';
import {
  AGENCY, mapLicenceCondition, mapOffenderDetail, mapRegistration, mapRequirement, toIdentityRecord,
  type LicenceCondition, type ProbationRecord, type Registration, type Requirement,
} from './mapping.js';
import type { WireMatchRequest, WireMatchedBy, WireOffenderDetail, WireOffenderMatches, WireSearchDto, WireSearchPage, WireSupervisionDetail } from './wire.js';

export const OPERATIONS = {
  crns: 'POST /crns',
  nomsNumbers: 'POST /nomsNumbers',
  match: 'POST /match',
  searchPeople: 'POST /search/people',
  phrase: 'POST /phrase',
  supervision: 'POST /secure/offenders/crns/supervision',
  caseload: 'GET /secure/staff/staffCode/{staffCode}/caseload/managedOffenders',
  health: 'GET /health/ping',
} as const;

/** The spec caps POST /crns at 512 CRNs per request. */
const MAX_BATCH = 512;

export type Mapped<T> = T | AdapterError;

/** Registrations, requirements and licence conditions of one CRN; a bad item is an AdapterError in its slot. */
export interface SupervisionDetail {
  crn: string;
  registrations: Mapped<Registration>[];
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

  constructor(readonly config: ProbationConfig) {
    this.credentials = new ClientCredentials({
      agency: AGENCY, tokenUrl: `${config.authUrl}/oauth/token`, clientId: config.clientId, clientSecret: config.clientSecret, timeoutMs: config.timeoutMs,
    });
    this.identity = {
      agency: AGENCY,
      supports: ['CRN', 'PNC', 'CRO', 'PRISON_NUMBER'],
      findByIdentifiers: (ids) => this.findByIdentifiers(ids),
      search: (criteria) => this.searchIdentities(criteria),
    };
  }

  /** One authorised JSON POST; any non-200 becomes a typed AdapterError (401 → SOURCE_AUTH → refresh and retry once). */
  private post<T>(operation: string, path: string, body: unknown): Promise<T> {
    return withToken(this.credentials, async (token) => {
      const res = await httpRequest({
        agency: AGENCY, operation, url: this.config.baseUrl + path, method: 'POST', timeoutMs: this.config.timeoutMs, body: JSON.stringify(body),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      });
      if (res.status !== 200) throw statusError(AGENCY, operation, res.status);
      return parseJson<T>(AGENCY, operation, res.text);
    });
  }

  private badShape(operation: string, expected: string): AdapterError {
    return new AdapterError({ agency: AGENCY, operation, code: 'BAD_SOURCE_DATA', message: `${AGENCY} system returned ${expected} in an unexpected shape (${operation})` });
  }

  private mapDetails(operation: string, list: unknown): Mapped<ProbationRecord>[] {
    if (!Array.isArray(list)) throw this.badShape(operation, 'a list of offenders');
    return (list as WireOffenderDetail[]).map((w, i) =>
      mapRecord(AGENCY, operation, String(w?.otherIds?.crn ?? w?.offenderId ?? `#${i}`), w, mapOffenderDetail));
  }

  /** CRNs of the offenders a member of staff manages (their caseload), for record-level disclosure rules. */
  async caseload(staffCode: string): Promise<string[]> {
    const op = OPERATIONS.caseload;
    if (!/^[A-Za-z0-9]{1,20}$/.test(staffCode)) return [];
    const list = await withToken(this.credentials, async (token) => {
      const res = await httpRequest({
        agency: AGENCY, operation: op, url: `${this.config.baseUrl}/secure/staff/staffCode/${encodeURIComponent(staffCode.toUpperCase())}/caseload/managedOffenders`,
        timeoutMs: this.config.timeoutMs, headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      });
      if (res.status !== 200) throw statusError(AGENCY, op, res.status);
      return parseJson<unknown>(AGENCY, op, res.text);
    });
    if (!Array.isArray(list)) throw this.badShape(op, 'a caseload');
    return list.map((m) => (m as { crnNumber?: unknown }).crnNumber).filter((c): c is string => typeof c === 'string').map((c) => c.toUpperCase());
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

  /** Registrations, requirements and licence conditions for many CRNs in one call (stand-in extension endpoint). */
  async supervisionByCrn(crns: string[]): Promise<Map<string, SupervisionDetail>> {
    const op = OPERATIONS.supervision;
    const out = new Map<string, SupervisionDetail>();
    for (const batch of chunks(unique(crns), MAX_BATCH)) {
      const list = await this.post<unknown>(op, '/secure/offenders/crns/supervision', batch);
      if (!Array.isArray(list)) throw this.badShape(op, 'a list of supervision details');
      for (const w of list as WireSupervisionDetail[]) {
        if (typeof w?.crn !== 'string' || !Array.isArray(w.registrations) || !Array.isArray(w.requirements) || !Array.isArray(w.licenceConditions)) throw this.badShape(op, 'supervision details');
        const crn = w.crn.toUpperCase();
        out.set(crn, {
          crn,
          registrations: w.registrations.map((r) => mapRecord(AGENCY, op, `${crn}/registration/${r?.registrationId}`, r, mapRegistration)),
          requirements: w.requirements.map((r) => mapRecord(AGENCY, op, `${crn}/requirement/${r?.requirementId}`, r, mapRequirement)),
          licenceConditions: w.licenceConditions.map((c) => mapRecord(AGENCY, op, `${crn}/licence-condition/${c?.licenceConditionId}`, c, mapLicenceCondition)),
        });
      }
    }
    return out;
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
    // The service matches PNCs across long and short forms and terms loosely; we confirm on the normalised value.
    const hits = byPhrase.filter((x) => !(x instanceof AdapterError) && ((x.pnc.valid && pncs.includes(x.pnc.value!)) || (x.cro.valid && cros.includes(x.cro.value!))));
    return dedupe([...byCrn.values(), ...byNoms.values(), ...hits]);
  }

  /** IdentitySource.search: by surname (and date of birth when given), confirmed on the normalised surname; forename is left to the scorer, since nicknames are common. */
  private async searchIdentities(criteria: IdentitySearch): Promise<IdentityRecord[]> {
    const key = nameKey(criteria.surname);
    if (key === '') return [];
    const result = await this.searchPeople({ surname: criteria.surname, dateOfBirth: criteria.dateOfBirth ?? null });
    return dedupe(result.records).filter((r) => nameKey(r.name.surname) === key && (!criteria.dateOfBirth || r.dateOfBirth === criteria.dateOfBirth));
  }

  /** A cheap unauthenticated call proving the service answers. */
  async health(): Promise<void> {
    const res = await httpRequest({ agency: AGENCY, operation: OPERATIONS.health, url: `${this.config.baseUrl}/health/ping`, timeoutMs: this.config.timeoutMs });
    if (res.status !== 200) throw statusError(AGENCY, OPERATIONS.health, res.status);
  }
}

/** Identity records, one per CRN. Records that could not be mapped are left out: they cannot be linked faithfully. */
function dedupe(records: Mapped<ProbationRecord>[]): IdentityRecord[] {
  const seen = new Map<string, IdentityRecord>();
  for (const r of records) if (!(r instanceof AdapterError) && !seen.has(r.crn)) seen.set(r.crn, toIdentityRecord(r));
  return [...seen.values()];
}

export function createProbationClient(env: Env = process.env): ProbationClient {
  return new ProbationClient(probationConfig(env));
}

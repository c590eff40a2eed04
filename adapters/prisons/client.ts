// The only code that speaks to the prisons systems: the Prisoner Search API for people, their latest
// booking and identity lookups (one batched call for many prison numbers), the Prisoner Alerts API for
// alerts (one bulk call for many prison numbers) and the Prison API for the list of prisons (health), all
// behind HMPPS Auth client credentials. Contracts: reference/openapi/.
import { AdapterError, mapRecord, unreadableReason } from '../errors.js';
import { checkedIdentifier, meetsSearch, nameKey, normaliseCro, normalisePnc } from '../normalise.js';
import { ClientCredentials } from '../oauth.js';
import { policyFor, type LegacyPolicy, type LegacyPolicyOptions } from '../resilience.js';
import { RestClient } from '../rest.js';
import { unreadableIdentityRecord, type Identifier, type IdentityRecord, type IdentitySearch, type IdentitySource } from '../../schema/model.js';
import { prisonsConfig, type PrisonsConfig } from './config.js';
import { AGENCY, mapAlert, mapCustodyPeriod, mapPrisoner, toIdentityRecord, type CustodyPeriod, type PrisonAlert, type PrisonerSummary } from './mapping.js';
import type { Alert, AlertsResponse, AttributeQuery, AttributeSearchRequest, Matcher, PagePrisoner, Prison, Prisoner } from './wire.js';

/** Every operation this adapter calls, by the path template its OpenAPI document declares. */
export const OPERATIONS = {
  /** Prisoner Alerts API `retrievePrisonerAlerts`: all alerts for many prison numbers in one call. */
  alerts: '/search/alerts/prison-numbers',
  prisons: '/api/agencies/prisons',
  prisonerNumbers: '/prisoner-search/prisoner-numbers',
  attributeSearch: '/attribute-search',
  /** Prisoner Search establishment search: the roll of one prison (optionally a wing or landing), paged. */
  prisonRoll: '/prison/{prisonId}/prisoners',
} as const;

/**
 * One Prisoner Search record, mapped: who the person is, and the latest booking mapped apart, so an
 * unreadable booking is an error in the custody list while the person still links.
 */
function prisonerAnswer(op: string, id: string, row: Prisoner): PrisonerAnswer | AdapterError {
  const summary = mapRecord(AGENCY, op, id, row, mapPrisoner);
  if (summary instanceof AdapterError) return summary;
  const booking = mapRecord(AGENCY, op, `${id}/booking`, row, mapCustodyPeriod);
  return { ...summary, custody: booking === null ? [] : [booking] };
}

/** A wing, landing or cell as NOMIS labels it inside a prison: `A`, `A-1`, `A-1-002`. */
export const CELL_PREFIX = /^[A-Z0-9]{1,4}(-[A-Z0-9]{1,4}){0,2}$/;

/** One page of an establishment's roll. */
export interface RollPage {
  /** Everyone on the roll (or the wing), across pages, as Prisoner Search counts them. */
  total: number;
  /** This page's people, in cell order; an unreadable record is a BAD_SOURCE_DATA in its slot. */
  entries: (PrisonerAnswer | AdapterError)[];
  last: boolean;
}

/** One page of the remand population, reduced to what a count needs: no name, no number. */
export interface RemandPage {
  total: number;
  entries: { prisonId: string | null; prisonName: string | null; receptionDate: string | null }[];
  last: boolean;
}
/** Records per page of the data-quality scan. */
export const DATA_QUALITY_PAGE = 200;
/** The only Prisoner Search fields a remand count reads. */
const REMAND_FIELDS = ['prisonId', 'lastPrisonId', 'prisonName', 'receptionDate', 'legalStatus'];

/** Prisoner Search accepts at most 1000 prisoner numbers per request. */
const MAX_NUMBERS = 1000;
const PAGE_SIZE = 200;
/** A search that matches more than this many pages is too broad to be a person lookup. */
const MAX_PAGES = 5;

const isPrisonNumber = (v: string) => /^[A-Z]\d{4}[A-Z]{2}$/.test(v);

/** One Prisoner Search record: who the person is, and the latest booking as custody periods (an unreadable booking in its slot). */
export interface PrisonerAnswer extends PrisonerSummary {
  custody: (CustodyPeriod | AdapterError)[];
}

export class PrisonsClient {
  readonly agency = AGENCY;
  readonly credentials: ClientCredentials;
  readonly api: RestClient;
  readonly search: RestClient;
  readonly alertsApi: RestClient;
  readonly identity: IdentitySource;
  /** Breaker, bulkhead, timeout and retries of the prisons systems (one policy: they fail together behind one gateway). */
  readonly policy: LegacyPolicy;

  constructor(readonly config: PrisonsConfig, options: LegacyPolicyOptions = {}) {
    this.policy = policyFor(AGENCY, config, options);
    this.credentials = new ClientCredentials({ agency: AGENCY, tokenUrl: config.tokenUrl, clientId: config.clientId, clientSecret: config.clientSecret, timeoutMs: config.timeoutMs });
    const policy = this.policy;
    this.api = new RestClient({ agency: AGENCY, baseUrl: config.apiUrl, policy, credentials: this.credentials });
    this.search = new RestClient({ agency: AGENCY, baseUrl: config.searchUrl, policy, credentials: this.credentials });
    this.alertsApi = new RestClient({ agency: AGENCY, baseUrl: config.alertsUrl, policy, credentials: this.credentials });
    this.identity = {
      agency: AGENCY,
      supports: ['PRISON_NUMBER', 'PNC', 'CRO'],
      findByIdentifiers: (ids) => this.findByIdentifiers(ids),
      search: (criteria) => this.searchPeople(criteria),
      searchMany: (criteria) => this.searchPeopleMany(criteria),
      tolerantSearch: true,
    };
  }

  /**
   * Prisoner Search records for many prison numbers: one request per 1000 numbers. Each record maps on its
   * own, so one malformed record is a BAD_SOURCE_DATA in its slot; numbers the system does not hold are
   * absent. The record's latest booking is mapped apart (`custody`), so an unreadable booking is an error
   * in the custody list while the person still links.
   */
  async prisonersByNumber(numbers: readonly string[]): Promise<Map<string, PrisonerAnswer | AdapterError>> {
    const wanted = [...new Set(numbers.map((n) => n.trim().toUpperCase()).filter(isPrisonNumber))];
    const out = new Map<string, PrisonerAnswer | AdapterError>();
    const op = `POST ${OPERATIONS.prisonerNumbers}`;
    for (let i = 0; i < wanted.length; i += MAX_NUMBERS) {
      const chunk = wanted.slice(i, i + MAX_NUMBERS);
      const rows = await this.search.post<Prisoner[]>(OPERATIONS.prisonerNumbers, { prisonerNumbers: chunk }, { kind: 'read' });
      for (const row of asArray(rows, op)) {
        const id = typeof row?.prisonerNumber === 'string' ? row.prisonerNumber.toUpperCase() : null;
        if (id === null || !chunk.includes(id)) continue; // a record we did not ask for cannot be placed
        out.set(id, prisonerAnswer(op, id, row));
      }
    }
    return out;
  }

  /** The custody periods of one prisoner; null when the system does not know the number. */
  async custodyPeriods(offenderNo: string): Promise<(CustodyPeriod | AdapterError)[] | null> {
    const n = offenderNo.trim().toUpperCase();
    if (!isPrisonNumber(n)) return null;
    const found = (await this.prisonersByNumber([n])).get(n);
    if (found instanceof AdapterError) throw found;
    return found?.custody ?? null;
  }

  /**
   * Every alert (active and inactive) of many prisoners in one Prisoner Alerts API call per 1000 numbers.
   * Each number asked for gets a list, empty when it has no alerts: the alerts service does not say who
   * is a prisoner (Prisoner Search does), so no answer here reads as "unknown prisoner". A 404 is the
   * service failing, not an unknown person. An unreadable alert is a BAD_SOURCE_DATA in its own slot.
   */
  async alertsByNumber(numbers: readonly string[]): Promise<Map<string, (PrisonAlert | AdapterError)[]>> {
    const wanted = [...new Set(numbers.map((n) => n.trim().toUpperCase()).filter(isPrisonNumber))];
    const out = new Map<string, (PrisonAlert | AdapterError)[]>(wanted.map((n) => [n, []]));
    const op = `POST ${OPERATIONS.alerts}`;
    for (let i = 0; i < wanted.length; i += MAX_NUMBERS) {
      const chunk = wanted.slice(i, i + MAX_NUMBERS);
      let res: AlertsResponse;
      try {
        res = await this.alertsApi.post<AlertsResponse>(OPERATIONS.alerts, chunk, { query: { includeInactive: true }, kind: 'read' });
      } catch (err) {
        if (err instanceof AdapterError && err.code === 'NOT_FOUND') {
          throw new AdapterError({ agency: AGENCY, operation: op, code: 'SOURCE_UNAVAILABLE', systemFault: false, detail: 'HTTP 404 from the alerts service', cause: err });
        }
        throw err;
      }
      asArray(res?.content, op).forEach((a, idx) => {
        const owner = typeof a?.prisonNumber === 'string' ? a.prisonNumber.trim().toUpperCase() : null;
        const list = owner === null ? undefined : out.get(owner);
        if (!list) return; // an alert for a number we did not ask about cannot be placed
        const id = typeof a.alertUuid === 'string' ? `${owner}/alert ${a.alertUuid}` : `${owner}/alert #${idx + 1}`;
        list.push(mapRecord(AGENCY, op, id, a, mapAlert));
      });
    }
    return out;
  }

  /** Every alert of one prisoner (the bulk operation with one number); null for a value that is not a prison number. */
  async alerts(offenderNo: string): Promise<(PrisonAlert | AdapterError)[] | null> {
    const n = offenderNo.trim().toUpperCase();
    if (!isPrisonNumber(n)) return null;
    return (await this.alertsByNumber([n])).get(n) ?? [];
  }

  /** Prison numbers in one batch call; PNC and CRO numbers together in one attribute search (PNC matched in any form). */
  async findByIdentifiers(ids: readonly Identifier[]): Promise<IdentityRecord[]> {
    const numbers = ids.filter((i) => i.type === 'PRISON_NUMBER').map((i) => i.value.trim().toUpperCase());
    const pncs = unique(ids.filter((i) => i.type === 'PNC').map((i) => normalisePnc(i.value).value));
    const cros = unique(ids.filter((i) => i.type === 'CRO').map((i) => normaliseCro(i.value).value));
    const found = new Map<string, IdentityRecord>();
    const [byNumber, byKey] = await Promise.all([
      numbers.length ? this.prisonersByNumber(numbers) : new Map<string, PrisonerAnswer | AdapterError>(),
      pncs.length || cros.length
        ? this.attributeSearch({
            joinType: 'OR',
            matchers: [
              ...pncs.map((pncNumber): Matcher => ({ type: 'PNC', pncNumber })),
              ...cros.map((searchTerm): Matcher => ({ type: 'String', attribute: 'croNumber', condition: 'IS', searchTerm })),
            ],
          })
        : [],
    ]);
    // A record that cannot be read is kept as unreadable (its number and the keys that pass their checks):
    // the person's prisons link is then reported with BAD_SOURCE_DATA instead of silently lost.
    for (const [number, s] of byNumber) found.set(number, s instanceof AdapterError ? unreadableIdentityRecord(AGENCY, number, 'PRISON_NUMBER') : toIdentityRecord(s.record));
    for (const row of byKey) {
      const s = mapRecord(AGENCY, `POST ${OPERATIONS.attributeSearch}`, String(row?.prisonerNumber ?? 'unknown'), row, mapPrisoner);
      if (s instanceof AdapterError) {
        const number = typeof row?.prisonerNumber === 'string' ? row.prisonerNumber.trim().toUpperCase() : '';
        const pnc = checkedIdentifier('PNC', row?.pncNumber), cro = checkedIdentifier('CRO', row?.croNumber);
        const asked = (pnc.valid && pncs.includes(pnc.value!)) || (cro.valid && cros.includes(cro.value!));
        if (isPrisonNumber(number) && asked && !found.has(number)) found.set(number, unreadableIdentityRecord(AGENCY, number, 'PRISON_NUMBER', { pnc, cro }));
        continue;
      }
      // Keep only real hits on a key we asked for: the search index's own PNC matching is not relied upon.
      const r = s.record;
      if ((r.pnc.valid && pncs.includes(r.pnc.value!)) || (r.cro.valid && cros.includes(r.cro.value!))) found.set(r.prisonNumber, toIdentityRecord(r));
    }
    return [...found.values()];
  }

  /**
   * Several searches in one attribute search: the criteria ORed, each as its own sub-query. Exact: surname
   * or alias surname, and date of birth when given. Tolerant (attribute search has no fuzzy condition, and
   * the fuzzy global search takes one person per call): the surname or alias surname, or its first three
   * letters with the forename, or the date of birth with the forename; the hits are then confirmed as
   * alike (phonetic or one edit) here.
   */
  async searchPeopleMany(criteria: IdentitySearch[]): Promise<IdentityRecord[]> {
    const usable = criteria.filter((c) => nameKey(c.surname) !== '');
    if (!usable.length) return [];
    const is = (attribute: string, searchTerm: string): Matcher => ({ type: 'String', attribute, condition: 'IS', searchTerm });
    const onDay = (dob: string): Matcher => ({ type: 'Date', attribute: 'dateOfBirth', minValue: dob, maxValue: dob });
    const queryOf = (c: IdentitySearch): AttributeQuery => {
      const surname: AttributeQuery = { joinType: 'OR', matchers: [is('lastName', c.surname.trim()), is('aliases.lastName', c.surname.trim())] };
      if (!c.tolerant) return { joinType: 'AND', matchers: c.dateOfBirth ? [onDay(c.dateOfBirth)] : [], subQueries: [surname] };
      const forename = c.forename?.trim();
      const alternatives: AttributeQuery[] = [surname];
      if (forename) {
        const prefix = nameKey(c.surname).slice(0, 3);
        if (prefix.length === 3) alternatives.push({ joinType: 'AND', matchers: [{ type: 'String', attribute: 'lastName', condition: 'STARTSWITH', searchTerm: prefix }, is('firstName', forename)] });
        if (c.dateOfBirth) alternatives.push({ joinType: 'AND', matchers: [onDay(c.dateOfBirth), is('firstName', forename)] });
      }
      return { joinType: 'OR', subQueries: alternatives };
    };
    const rows = await this.attributeSearch({ joinType: 'OR', subQueries: usable.map(queryOf) });
    const out = new Map<string, IdentityRecord>();
    for (const row of rows) {
      const s = mapRecord(AGENCY, `POST ${OPERATIONS.attributeSearch}`, String(row?.prisonerNumber ?? 'unknown'), row, mapPrisoner);
      if (s instanceof AdapterError) continue;
      const r = s.record;
      const names = [{ name: r.name, dateOfBirth: r.dateOfBirth }, ...r.aliases.map((a) => ({ name: a.name, dateOfBirth: r.dateOfBirth }))];
      if (usable.some((c) => names.some((n) => meetsSearch(n, c)))) out.set(r.prisonNumber, toIdentityRecord(r));
    }
    return [...out.values()];
  }

  /** Records whose surname (or an alias surname) matches after normalisation and, when given, whose date of birth matches. */
  searchPeople(criteria: IdentitySearch): Promise<IdentityRecord[]> {
    return this.searchPeopleMany([criteria]);
  }

  /**
   * One page of the roll of prison `prisonId` (a three-letter prison id), optionally one wing, landing or
   * cell (`cellPrefix` such as `A` or `A-1`), in cell order: one Prisoner Search call per page.
   */
  async prisonRoll(prisonId: string, opts: { cellPrefix?: string | null; page: number; size: number }): Promise<RollPage> {
    const op = `GET ${OPERATIONS.prisonRoll}`;
    const id = prisonId.trim().toUpperCase();
    // The subgraph checks what the caller sent; these guard the adapter's own contract.
    if (!/^[A-Z]{3}$/.test(id)) throw new TypeError('a prison id is three letters, e.g. MDI');
    const prefix = opts.cellPrefix?.trim().toUpperCase() || null;
    if (prefix !== null && !CELL_PREFIX.test(prefix)) throw new TypeError('a wing, landing or cell is written like A, A-1 or A-1-002');
    const res = await this.search.get<PagePrisoner>(OPERATIONS.prisonRoll, {
      path: { prisonId: id },
      query: { page: opts.page, size: opts.size, sort: 'cellLocation,ASC', ...(prefix ? { cellLocationPrefix: `${id}-${prefix}` } : {}) },
    });
    const rows = asArray(res?.content, op);
    const entries = rows.map((row, i) => {
      const n = typeof row?.prisonerNumber === 'string' ? row.prisonerNumber.toUpperCase() : `#${opts.page * opts.size + i + 1}`;
      return prisonerAnswer(op, n, row);
    });
    const total = typeof res?.totalElements === 'number' && Number.isInteger(res.totalElements) && res.totalElements >= 0 ? res.totalElements : null;
    if (total === null) throw new AdapterError({ agency: AGENCY, operation: op, code: 'BAD_SOURCE_DATA', message: `${AGENCY} roll could not be read: expected a count of the roll` });
    return { total, entries, last: res.last !== false };
  }

  // ---- reporting (aggregates) -------------------------------------------------------------------

  /**
   * One page of the remand population: everyone in custody (in or temporarily out) whose latest booking's
   * legal status is REMAND, by a Prisoner Search attribute search (`legalStatus IS REMAND` and `status IN
   * ACTIVE IN, ACTIVE OUT`), asking only for the fields a count needs (`responseFields`). One call per page.
   */
  async remandPage(page: number, size: number): Promise<RemandPage> {
    const op = `POST ${OPERATIONS.attributeSearch}`;
    const query: AttributeQuery = { joinType: 'AND', matchers: [
      { type: 'String', attribute: 'legalStatus', condition: 'IS', searchTerm: 'REMAND' },
      { type: 'String', attribute: 'status', condition: 'IN', searchTerm: 'ACTIVE IN,ACTIVE OUT' },
    ] as Matcher[] };
    const body: AttributeSearchRequest = { joinType: 'AND', queries: [query], pagination: { page, size } };
    const res = await this.search.post<PagePrisoner>(OPERATIONS.attributeSearch, body, { kind: 'read', query: { responseFields: REMAND_FIELDS } });
    const rows = asArray(res?.content, op);
    const total = typeof res?.totalElements === 'number' && Number.isInteger(res.totalElements) ? res.totalElements : null;
    if (total === null) throw new AdapterError({ agency: AGENCY, operation: op, code: 'BAD_SOURCE_DATA', message: `${AGENCY} remand search could not be read: expected a count` });
    const entries = rows.map((r) => {
      // The latest booking's prison (the last one for someone out at court) and reception date; nothing else is kept.
      const prisonId = typeof r?.prisonId === 'string' && /^[A-Z]{3}$/.test(r.prisonId) ? r.prisonId : typeof r?.lastPrisonId === 'string' ? r.lastPrisonId : null;
      const receptionDate = typeof r?.receptionDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r.receptionDate) ? r.receptionDate : null;
      return { prisonId, prisonName: typeof r?.prisonName === 'string' ? r.prisonName : null, receptionDate };
    });
    return { total, entries, last: res.last !== false };
  }

  /**
   * One page (DATA_QUALITY_PAGE records) of the people received on or after `since`, as identity records,
   * for the prisons data-quality report: a Prisoner Search attribute search on `receptionDate`, one call
   * per page; an unreadable record is kept by its number with the reason.
   */
  async receivedSince(since: string, page: number): Promise<{ records: IdentityRecord[]; unreadable: { localId: string; reason: string }[]; last: boolean }> {
    const op = `POST ${OPERATIONS.attributeSearch}`;
    const body: AttributeSearchRequest = { joinType: 'AND', queries: [{ matchers: [{ type: 'Date', attribute: 'receptionDate', minValue: since }] }], pagination: { page, size: DATA_QUALITY_PAGE } };
    const res = await this.search.post<PagePrisoner>(OPERATIONS.attributeSearch, body, { kind: 'read' });
    const records: IdentityRecord[] = [];
    const unreadable: { localId: string; reason: string }[] = [];
    asArray(res?.content, op).forEach((row, i) => {
      const number = typeof row?.prisonerNumber === 'string' ? row.prisonerNumber.trim().toUpperCase() : `#${page * DATA_QUALITY_PAGE + i + 1}`;
      const s = mapRecord(AGENCY, op, number, row, mapPrisoner);
      if (s instanceof AdapterError) unreadable.push({ localId: number, reason: unreadableReason(s) });
      else records.push(toIdentityRecord(s.record));
    });
    return { records, unreadable, last: res.last !== false };
  }

  /** A cheap authorised call: the list of prisons. */
  async health(): Promise<void> {
    const rows = await this.api.get<Prison[]>(OPERATIONS.prisons);
    asArray(rows, `GET ${OPERATIONS.prisons}`);
  }

  /** Runs one attribute search, following pages (one request when the hits fit a page). */
  private async attributeSearch(query: AttributeQuery): Promise<Prisoner[]> {
    const hits: Prisoner[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const body: AttributeSearchRequest = { joinType: 'AND', queries: [query], pagination: { page, size: PAGE_SIZE } };
      const res = await this.search.post<PagePrisoner>(OPERATIONS.attributeSearch, body, { kind: 'read' });
      const content = asArray(res?.content, `POST ${OPERATIONS.attributeSearch}`);
      hits.push(...content);
      if (res.last !== false || content.length === 0) break;
    }
    return hits;
  }
}

function unique(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

/** A list payload, or BAD_SOURCE_DATA for the whole call when the system sent something else. */
function asArray<T>(value: T[] | null | undefined, operation: string): T[] {
  if (Array.isArray(value)) return value;
  throw new AdapterError({ agency: AGENCY, operation, code: 'BAD_SOURCE_DATA', message: `${AGENCY} system returned an answer that could not be read`, detail: 'not a list' });
}

export function createPrisonsClient(env: Record<string, string | undefined> = process.env): PrisonsClient {
  return new PrisonsClient(prisonsConfig(env));
}


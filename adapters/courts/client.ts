// The only code that speaks to the courts (Libra) result store: SOAP over HTTP, one GetResultedCases
// call per batch of ASNs (or PTIURNs), answered with the delivered Libra messages unchanged (the CJSE
// DeliverRequest documents); each case mapped on its own so one bad case never fails the batch.
import { XMLValidator } from 'fast-xml-parser';
import { AdapterError } from '../errors.js';
import { nameKey, normaliseAsn } from '../normalise.js';
import { policyFor, type LegacyPolicy, type LegacyPolicyOptions } from '../resilience.js';
import { createSoapParser, soapRequest, xmlText } from '../soap.js';
import { unreadableIdentityRecord, type Identifier, type IdentityRecord, type IdentitySearch, type IdentitySource } from '../../schema/model.js';
import { courtsConfig, type CourtsConfig } from './config.js';
import { RestClient } from '../rest.js';
import { mapCpHearings, mapMessages, matchesSearch, toIdentityRecord, type CourtCase, type CourtDefendant, type ListedHearing, type MappedCase } from './mapping.js';
import { LIBRA_NS, REPEATING, type CpHearingList, type WireDeliverRequest, type WireResultedCasesResponse } from './wire.js';

export const AGENCY = 'courts';

export type Operation = 'GetResultedCases' | 'ScanResultedCases';

/** One page of the reporting scan: the cases read, and where the next page starts (null: the last). */
export interface ScanPage { cases: MappedCase[]; after: string | null }
/** Cases a reporting scan page holds at most (the store's own cap). */
export const SCAN_PAGE_SIZE = 200;

/** What the court list is asked for: courts (none is every court), sitting dates (inclusive), a bail status code. */
export interface ListingRequest {
  courts?: string[];
  from?: string | null;
  to?: string | null;
  /** SPI bail status code, e.g. `C` (remanded in custody). */
  bailStatus?: string | null;
}

export interface DefendantSearch {
  surname: string;
  forename?: string | null;
  dateOfBirth?: string | null;
}

const parser = createSoapParser(REPEATING);

/** Splits a list into chunks of at most `size`. */
function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const unique = (ids: string[]) => [...new Set(ids.map((id) => id.trim().toUpperCase()).filter((id) => id !== ''))];

/**
 * One delivered message as a document of its own (a file from a CJSE drop, a fixture): the CJSE
 * DeliverRequest envelope around a ResultedCaseMessage. Throws BAD_SOURCE_DATA when it is not one.
 */
export function parseDeliverRequest(xml: string): WireDeliverRequest {
  const bad = (message: string) => new AdapterError({ agency: AGENCY, operation: 'DeliverRequest', code: 'BAD_SOURCE_DATA', message });
  if (XMLValidator.validate(xml) !== true) throw bad('courts message is not well-formed XML');
  const doc = parser.parse(xml) as { DeliverRequest?: WireDeliverRequest[] };
  const message = doc.DeliverRequest?.[0];
  if (!message?.Message?.ResultedCaseMessage) throw bad('courts message is not a DeliverRequest holding a ResultedCaseMessage');
  return message;
}

export class CourtsClient {
  readonly config: CourtsConfig;
  readonly identity: IdentitySource;
  /** Breaker, bulkhead, timeout and retries of the case service. */
  readonly policy: LegacyPolicy;

  constructor(config: CourtsConfig = courtsConfig(), options: LegacyPolicyOptions = {}) {
    this.config = config;
    this.policy = policyFor(AGENCY, config, options);
    this.identity = {
      agency: AGENCY,
      supports: ['ASN'],
      findByIdentifiers: (ids) => this.findByIdentifiers(ids),
      search: (criteria) => this.search(criteria),
      searchMany: (criteria) => this.searchMany(criteria),
    };
  }

  /** Sends one GetResultedCases request and returns the delivered messages it answers with. */
  private async call(requestXml: string): Promise<WireDeliverRequest[]> {
    return (await this.callFor('GetResultedCases', requestXml)).messages;
  }

  private async callFor(operation: Operation, requestXml: string): Promise<{ messages: WireDeliverRequest[]; last: string | null }> {
    // An enquiry: the policy may retry it (adapters/resilience.ts).
    const body = await this.policy.run({ operation, kind: 'read' }, (signal) => soapRequest({
      agency: AGENCY, operation, url: this.config.url, action: `${LIBRA_NS}/${operation}`,
      body: `<DC:${operation}Request>${requestXml}</DC:${operation}Request>`,
      namespaces: { DC: LIBRA_NS }, parser, signal,
    }));
    const response = body[`${operation}Response`];
    if (response === undefined) {
      throw new AdapterError({ agency: AGENCY, operation, code: 'BAD_SOURCE_DATA', message: `${AGENCY} system returned an answer that could not be read`, detail: `no ${operation}Response` });
    }
    // An empty response element parses as '' rather than an object.
    const r = typeof response === 'object' && response !== null ? (response as WireResultedCasesResponse & { LastProsecutorReference?: string }) : undefined;
    return { messages: r?.DeliverRequest ?? [], last: typeof r?.LastProsecutorReference === 'string' && r.LastProsecutorReference.trim() !== '' ? r.LastProsecutorReference.trim() : null };
  }

  // ---- reporting (aggregates) -------------------------------------------------------------------

  /**
   * One page of the result store's reporting scan: every case (by ASN) with a session heard between
   * `from` and `to`, whole (all its delivered messages), at most SCAN_PAGE_SIZE cases; `after` is the
   * previous page's. One call per page; each case mapped on its own, so one bad case is one error.
   */
  async scanCasesHeard(from: string, to: string, after: string | null): Promise<ScanPage> {
    const request = xmlText('DC:DateOfHearingFrom', from) + xmlText('DC:DateOfHearingTo', to) + xmlText('DC:After', after) + xmlText('DC:PageSize', String(SCAN_PAGE_SIZE));
    const { messages, last } = await this.callFor('ScanResultedCases', request);
    return { cases: mapMessages(messages, 'ScanResultedCases'), after: last };
  }

  /** Case records by ASN (each defendant's view of a case), one call per batch. ASNs the court does not hold are absent. */
  async casesByAsn(asns: string[]): Promise<Map<string, CourtCase | AdapterError>> {
    const out = new Map<string, CourtCase | AdapterError>();
    const wanted = unique(asns.map(normaliseAsn));
    for (const batch of chunks(wanted, this.config.maxBatch)) {
      const wantedHere = new Set(batch);
      for (const c of mapMessages(await this.call(batch.map((a) => xmlText('DC:ProsecutorReference', a)).join('')))) {
        if (wantedHere.has(c.asn)) out.set(c.asn, c.record);
      }
    }
    return out;
  }

  /** Cases by PTIURN, one call per batch. URNs the court does not hold are absent; a case with several defendants gives the first by ASN. */
  async casesByUrn(urns: string[]): Promise<Map<string, CourtCase | AdapterError>> {
    const out = new Map<string, CourtCase | AdapterError>();
    for (const batch of chunks(unique(urns), this.config.maxBatch)) {
      const wantedHere = new Set(batch);
      for (const c of mapMessages(await this.call(batch.map((u) => xmlText('DC:PTIURN', u)).join('')))) {
        if (wantedHere.has(c.urn) && !out.has(c.urn)) out.set(c.urn, c.record);
      }
    }
    return out;
  }

  /** Defendants by surname, with optional date of birth (one call). */
  async findDefendantsByName(search: DefendantSearch): Promise<CourtDefendant[]> {
    const request = xmlText('DC:PersonFamilyName', search.surname.trim().toUpperCase()) + xmlText('DC:Birthdate', search.dateOfBirth || null);
    return mapMessages(await this.call(request)).map((c) => c.record).filter((c): c is CourtCase => !(c instanceof AdapterError)).map((c) => c.defendant);
  }

  /**
   * The court list: every hearing matching the request, one line per listed defendant of each case, in
   * sitting order, in one call (GET of the listing, Common Platform's hearing shape). A line that cannot be
   * read is an AdapterError in its place (BAD_SOURCE_DATA), never a failed list.
   */
  async listHearings(req: ListingRequest): Promise<(ListedHearing | AdapterError)[]> {
    const url = new URL(this.config.listingUrl ?? `${new URL(this.config.url).origin}/common-platform/listing/hearings`);
    const listing = new RestClient({ agency: AGENCY, baseUrl: url.origin, policy: this.policy, credentials: null });
    const answer = await listing.get<CpHearingList | null>(url.pathname, {
      query: { courtCentreCode: req.courts?.length ? req.courts.map((c) => c.trim().toUpperCase()) : null, startDate: req.from ?? null, endDate: req.to ?? null, bailStatus: req.bailStatus ?? null },
    });
    if (!answer || !Array.isArray(answer.hearings)) {
      throw new AdapterError({ agency: AGENCY, operation: 'listHearings', code: 'BAD_SOURCE_DATA', message: `${AGENCY} system returned an answer that could not be read`, detail: 'no hearings array' });
    }
    return mapCpHearings(answer.hearings);
  }

  /** A cheap call proving the service answers: an empty GetResultedCases. */
  async health(): Promise<void> {
    await this.call('');
  }

  // ---- identity -----------------------------------------------------------------------------------

  /**
   * Defendant records by ASN, in one call. An unreadable case is kept as an unreadable record under its
   * ASN, so the court stays among the person's links and its cases report BAD_SOURCE_DATA, not nothing.
   */
  private async findByIdentifiers(ids: Identifier[]): Promise<IdentityRecord[]> {
    const asns = ids.filter((i) => i.type === 'ASN').map((i) => i.value);
    if (asns.length === 0) return [];
    const found = await this.casesByAsn(asns);
    return [...found].map(([asn, c]) => (c instanceof AdapterError ? unreadableIdentityRecord(AGENCY, asn, 'ASN') : toIdentityRecord(c.defendant)));
  }

  /**
   * Several name searches in one call per batch (repeated `PersonSearch` blocks of the stand-in's query
   * extension, as ASNs and PTIURNs repeat): a page of candidates costs one call, not one per person.
   */
  private async searchMany(criteria: IdentitySearch[]): Promise<IdentityRecord[]> {
    const usable = criteria.filter((c) => nameKey(c.surname) !== '');
    const out = new Map<string, IdentityRecord>();
    for (const batch of chunks(usable, this.config.maxBatch)) {
      const request = batch.map((c) => `<DC:PersonSearch>${xmlText('DC:PersonFamilyName', c.surname.trim().toUpperCase())}${xmlText('DC:Birthdate', c.dateOfBirth || null)}</DC:PersonSearch>`).join('');
      for (const c of mapMessages(await this.call(request)).map((m) => m.record)) {
        if (c instanceof AdapterError) continue; // an unreadable case has no name to match
        if (batch.some((q) => matchesSearch(c.defendant, q.surname, q.dateOfBirth))) out.set(c.asn, toIdentityRecord(c.defendant));
      }
    }
    return [...out.values()];
  }

  private async search(criteria: IdentitySearch): Promise<IdentityRecord[]> {
    if (nameKey(criteria.surname) === '') return [];
    // The forename is not sent: linking scores forenames itself (Bill for William).
    const found = await this.findDefendantsByName({ surname: criteria.surname, dateOfBirth: criteria.dateOfBirth });
    return found.filter((d) => matchesSearch(d, criteria.surname, criteria.dateOfBirth)).map(toIdentityRecord);
  }
}

export function createCourtsClient(env: Record<string, string | undefined> = process.env): CourtsClient {
  return new CourtsClient(courtsConfig(env));
}

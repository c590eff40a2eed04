// The only code that speaks to the courts (Libra) case service: SOAP envelopes over HTTP, one call
// per batch of ids, each record mapped on its own so one bad record never fails the batch.
import { AdapterError, mapRecord } from '../errors.js';
import { checkedIdentifier, nameKey } from '../normalise.js';
import { policyFor, type LegacyPolicy, type LegacyPolicyOptions, type OperationKind } from '../resilience.js';
import { createSoapParser, soapRequest, xmlText } from '../soap.js';
import { unreadableIdentityRecord, type Identifier, type IdentityRecord, type IdentitySearch, type IdentitySource } from '../../schema/model.js';
import { courtsConfig, type CourtsConfig } from './config.js';
import { mapCase, mapDefendant, matchesSearch, pncSearchForms, toIdentityRecord, type CourtCase, type CourtDefendant } from './mapping.js';
import { LIBRA_NS, REPEATING, type WireCase, type WireCasesResponse, type WireDefendant, type WireDefendantsResponse } from './wire.js';

export const AGENCY = 'courts';

export type Operation = 'GetDefendants' | 'FindDefendants' | 'GetCasesByDefendant' | 'GetCases';
/** What each operation does: all are enquiries, so all may be retried (adapters/resilience.ts). */
const OPERATION_KINDS: Record<Operation, OperationKind> = { GetDefendants: 'read', FindDefendants: 'read', GetCasesByDefendant: 'read', GetCases: 'read' };

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

const unique = (ids: string[]) => [...new Set(ids.map((id) => id.trim()).filter((id) => id !== ''))];

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
      supports: ['COURT_DEFENDANT_ID', 'PNC'],
      findByIdentifiers: (ids) => this.findByIdentifiers(ids),
      search: (criteria) => this.search(criteria),
    };
  }

  /** Sends one operation and returns the named response element. */
  private async call<T>(operation: Operation, requestXml: string): Promise<T> {
    const body = await this.policy.run({ operation, kind: OPERATION_KINDS[operation] }, (signal) => soapRequest({
      agency: AGENCY, operation, url: this.config.url, action: `${LIBRA_NS}/${operation}`,
      body: `<DC:${operation}Request>${requestXml}</DC:${operation}Request>`,
      namespaces: { DC: LIBRA_NS }, parser, signal,
    }));
    const response = body[`${operation}Response`];
    if (response === undefined) {
      throw new AdapterError({ agency: AGENCY, operation, code: 'BAD_SOURCE_DATA', message: `${AGENCY} system returned an answer that could not be read`, detail: `no ${operation}Response` });
    }
    // An empty response element parses as '' rather than an object.
    return (typeof response === 'object' && response !== null ? response : {}) as T;
  }

  private mapDefendants(operation: Operation, list: WireDefendant[] | undefined): (CourtDefendant | AdapterError)[] {
    return (list ?? []).map((w, i) => {
      const d = mapRecord(AGENCY, operation, String(w.DefendantId ?? `#${i + 1}`).slice(0, 40), w, mapDefendant);
      // An unreadable defendant keeps its id and checked PNC for linking, so it is reported, not lost.
      const id = String(w.DefendantId ?? '').trim();
      if (d instanceof AdapterError && /^[A-Za-z0-9/_.-]{1,40}$/.test(id)) unreadable.set(d, unreadableIdentityRecord(AGENCY, id, 'COURT_DEFENDANT_ID', { pnc: checkedIdentifier('PNC', w.PNCIdentifier) }));
      return d;
    });
  }

  /** Defendants by court defendant id, one GetDefendants call per batch. Ids the court does not hold are absent. */
  async getDefendants(ids: string[]): Promise<Map<string, CourtDefendant | AdapterError>> {
    const out = new Map<string, CourtDefendant | AdapterError>();
    for (const batch of chunks(unique(ids), this.config.maxBatch)) {
      const res = await this.call<WireDefendantsResponse>('GetDefendants', batch.map((id) => xmlText('DC:DefendantId', id)).join(''));
      // A record without an id cannot be matched to the id asked for, so it is left out.
      for (const w of res.Defendant ?? []) {
        const id = String(w.DefendantId ?? '').trim();
        if (id) out.set(id, this.mapDefendants('GetDefendants', [w])[0]);
      }
    }
    return out;
  }

  /** Defendants whose PNC id is any of `pncs` (each sent in both the long and short form the court may hold). */
  async findDefendantsByPnc(pncs: string[]): Promise<(CourtDefendant | AdapterError)[]> {
    const forms = unique(pncs.flatMap(pncSearchForms));
    if (forms.length === 0) return [];
    const out: (CourtDefendant | AdapterError)[] = [];
    for (const batch of chunks(forms, this.config.maxBatch)) {
      const res = await this.call<WireDefendantsResponse>('FindDefendants', batch.map((p) => xmlText('DC:PNCIdentifier', p)).join(''));
      out.push(...this.mapDefendants('FindDefendants', res.Defendant));
    }
    return out;
  }

  /** Defendants by surname, with optional given name (matched on its initial by the court) and date of birth. */
  async findDefendantsByName(search: DefendantSearch): Promise<(CourtDefendant | AdapterError)[]> {
    const request = xmlText('DC:PersonFamilyName', search.surname.trim().toUpperCase())
      + xmlText('DC:PersonGivenName1', search.forename?.trim() || null)
      + xmlText('DC:Birthdate', search.dateOfBirth || null);
    const res = await this.call<WireDefendantsResponse>('FindDefendants', request);
    return this.mapDefendants('FindDefendants', res.Defendant);
  }

  /** Cases of each defendant, one GetCasesByDefendant call per batch; a defendant without cases gets []. */
  async getCasesByDefendant(ids: string[]): Promise<Map<string, (CourtCase | AdapterError)[]>> {
    const wanted = unique(ids);
    const out = new Map<string, (CourtCase | AdapterError)[]>(wanted.map((id) => [id, []]));
    for (const batch of chunks(wanted, this.config.maxBatch)) {
      const res = await this.call<WireCasesResponse>('GetCasesByDefendant', batch.map((id) => xmlText('DC:DefendantId', id)).join(''));
      for (const w of res.Case ?? []) {
        const owner = String(w.Defendant?.[0]?.DefendantId ?? '').trim();
        const list = out.get(owner);
        if (list) list.push(this.mapCase('GetCasesByDefendant', w));
      }
    }
    return out;
  }

  /** Cases by PTIURN, one GetCases call per batch. URNs the court does not hold are absent. */
  async getCases(urns: string[]): Promise<Map<string, CourtCase | AdapterError>> {
    const out = new Map<string, CourtCase | AdapterError>();
    for (const batch of chunks(unique(urns.map((u) => u.toUpperCase())), this.config.maxBatch)) {
      const res = await this.call<WireCasesResponse>('GetCases', batch.map((u) => xmlText('DC:PTIURN', u)).join(''));
      for (const w of res.Case ?? []) {
        const urn = String(w.PTIURN ?? '').trim().toUpperCase();
        if (urn) out.set(urn, this.mapCase('GetCases', w));
      }
    }
    return out;
  }

  private mapCase(operation: Operation, w: WireCase): CourtCase | AdapterError {
    return mapRecord(AGENCY, operation, String(w.PTIURN ?? 'unknown').slice(0, 40), w, mapCase);
  }

  /** A cheap call proving the service answers: an empty GetDefendants. */
  async health(): Promise<void> {
    await this.call('GetDefendants', '');
  }

  // ---- identity -----------------------------------------------------------------------------------

  /** Records by court defendant id and by PNC: at most one call of each kind. An unreadable defendant is kept as an unreadable record. */
  private async findByIdentifiers(ids: Identifier[]): Promise<IdentityRecord[]> {
    const defendantIds = ids.filter((i) => i.type === 'COURT_DEFENDANT_ID').map((i) => i.value);
    const pncs = ids.filter((i) => i.type === 'PNC').map((i) => i.value);
    const [byId, byPnc] = await Promise.all([
      defendantIds.length ? this.getDefendants(defendantIds) : Promise.resolve(new Map<string, CourtDefendant | AdapterError>()),
      pncs.length ? this.findDefendantsByPnc(pncs) : Promise.resolve([]),
    ]);
    const seen = new Map<string, IdentityRecord>();
    for (const d of [...byId.values(), ...byPnc]) {
      const rec = d instanceof AdapterError ? unreadable.get(d) : toIdentityRecord(d);
      if (rec && (!seen.has(rec.localId) || seen.get(rec.localId)!.unreadable)) seen.set(rec.localId, rec);
    }
    return [...seen.values()];
  }

  private async search(criteria: IdentitySearch): Promise<IdentityRecord[]> {
    if (nameKey(criteria.surname) === '') return [];
    // The forename is not sent: the court matches it on its initial and would drop Bill for William; linking scores forenames itself.
    const found = await this.findDefendantsByName({ surname: criteria.surname, dateOfBirth: criteria.dateOfBirth });
    return found
      .filter((d): d is CourtDefendant => !(d instanceof AdapterError) && matchesSearch(d, criteria.surname, criteria.dateOfBirth))
      .map(toIdentityRecord);
  }
}

/** The identity record of a defendant that could not be mapped: its id and checked PNC. */
const unreadable = new WeakMap<AdapterError, IdentityRecord>();

export function createCourtsClient(env: Record<string, string | undefined> = process.env): CourtsClient {
  return new CourtsClient(courtsConfig(env));
}

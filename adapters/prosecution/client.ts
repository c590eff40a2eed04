// The only code that speaks to the prosecution service's case management system: one POST
// /case-files/search per batch of keys (case URNs, ASNs, PNC ids together), under the agency's
// resilience policy; each case file mapped on its own so one bad file never fails the batch.
import { AdapterError } from '../errors.js';
import { normaliseAsn, normalisePnc } from '../normalise.js';
import { policyFor, type LegacyPolicy, type LegacyPolicyOptions } from '../resilience.js';
import { RestClient } from '../rest.js';
import { prosecutionConfig, type ProsecutionConfig } from './config.js';
import { AGENCY, mapCaseFile, wireKeys, type ProsecutionCaseFile } from './mapping.js';
import type { WireSearchRequest, WireSearchResponse } from './wire.js';

export { AGENCY };

/** A key a case file is found by: `URN:01ZD0303208`, `ASN:…` (canonical), `PNC:2018/0100006A` (canonical). */
export type CaseFileKey = string;

/** One case file as found, with the keys it answers to (an unreadable file keeps the keys its defendants give). */
export interface FoundCaseFile { keys: CaseFileKey[]; record: ProsecutionCaseFile | AdapterError }

/** The canonical key of a URN, ASN or PNC; null for a PNC that does not validate (never sent). */
export function caseFileKey(type: 'URN' | 'ASN' | 'PNC', value: string): CaseFileKey | null {
  if (type === 'URN') return `URN:${value.trim().toUpperCase()}`;
  if (type === 'ASN') return `ASN:${normaliseAsn(value)}`;
  const pnc = normalisePnc(value);
  return pnc.valid ? `PNC:${pnc.value}` : null;
}

export class ProsecutionClient {
  readonly config: ProsecutionConfig;
  /** Breaker, bulkhead, timeout and retries of the case management system. */
  readonly policy: LegacyPolicy;
  private readonly rest: RestClient;

  constructor(config: ProsecutionConfig = prosecutionConfig(), options: LegacyPolicyOptions = {}) {
    this.config = config;
    this.policy = policyFor(AGENCY, config, options);
    this.rest = new RestClient({ agency: AGENCY, baseUrl: config.url, policy: this.policy, timeoutMs: config.timeoutMs, credentials: null });
  }

  /** Every case file holding any of the keys: one call per batch of `maxBatch` keys. */
  async search(keys: CaseFileKey[]): Promise<FoundCaseFile[]> {
    const unique = [...new Set(keys)];
    const out = new Map<string, FoundCaseFile>();
    for (let i = 0; i < unique.length; i += this.config.maxBatch) {
      const chunk = unique.slice(i, i + this.config.maxBatch);
      const body: WireSearchRequest = { caseUrns: [], asns: [], pncIds: [] };
      for (const k of chunk) {
        const [kind, value] = [k.slice(0, 3), k.slice(4)];
        (kind === 'URN' ? body.caseUrns : kind === 'ASN' ? body.asns : body.pncIds).push(value);
      }
      // A read-only search: the policy may retry it.
      const answer = await this.rest.post<WireSearchResponse | null>('/case-files/search', body, { kind: 'read' });
      if (!answer || !Array.isArray(answer.caseFiles)) {
        throw new AdapterError({ agency: AGENCY, operation: 'POST /case-files/search', code: 'BAD_SOURCE_DATA', message: `${AGENCY} system returned an answer that could not be read`, detail: 'no caseFiles list' });
      }
      const retrievedAt = new Date().toISOString();
      for (const file of answer.caseFiles) {
        const record = mapCaseFile(file ?? {}, retrievedAt);
        const keysOf = wireKeys(file ?? {});
        const id = record instanceof AdapterError ? `bad:${keysOf.join(',')}:${out.size}` : `urn:${record.urn}`;
        out.set(id, { keys: keysOf, record });
      }
    }
    return [...out.values()];
  }

  /** A cheap call proving the system answers. */
  async health(): Promise<void> {
    await this.rest.get('/health');
  }
}

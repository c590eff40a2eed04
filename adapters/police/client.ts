// The only code that speaks to the police records-management database. Parameterised SQL only; every
// lookup takes a batch of nominal ids and sends one query (`= ANY($1)`) for it. Failures leave as
// AdapterErrors (from adapters/sql.ts); a row that cannot be mapped becomes BAD_SOURCE_DATA for that
// record alone.
import { AdapterError, mapRecord, unreadableReason } from '../errors.js';
import { checkedIdentifier, meetsSearch, nameKey, normaliseAsn, normaliseCro, normalisePnc, pncWrittenForms } from '../normalise.js';
import { policyFor, type LegacyPolicy, type LegacyPolicyOptions, type OperationKind } from '../resilience.js';
import { createSqlExecutor, sqlQuery, type SqlExecutor } from '../sql.js';
import { unreadableIdentityRecord, type Identifier, type IdentityRecord, type IdentitySearch, type IdentitySource } from '../../schema/model.js';
import type { PoliceConfig } from './config.js';
import {
  AGENCY, croKeyedForms, mapArrest, mapIntelFlag, mapNominal, mapWarningMarker, toIdentityRecord,
  type Arrest, type IntelligenceFlag, type PoliceNominal, type WarningMarker,
} from './mapping.js';
import type { ArrestRow, IntelFlagRow, NominalRow, WarningMarkerRow } from './wire.js';

// Each nominal comes with the ASNs of its arrests, in the same statement: identity links court records by them without another call.
const NOMINAL_COLUMNS = `"NOMINAL_ID", "SURNAME", "FORENAME_1", "FORENAME_2", "FORENAME_3", "BIRTH_DATE", "SEX_CODE", "PNC_ID", "CRO_NO", "FORCE_CODE", asn."ASNS"`;
const NOMINALS = `"NOMINALS" LEFT JOIN LATERAL (SELECT string_agg(a."ASN", ' ' ORDER BY a."ASN") AS "ASNS" FROM "ARRESTS" a WHERE a."NOMINAL_ID" = "NOMINALS"."NOMINAL_ID") asn ON true`;

/**
 * The forms an ASN may be stored in, as the statement compares them (letters and digits only): as given,
 * canonical (sequence padded to 11 digits), and the slashed form's digits (sequence without padding).
 */
function asnWrittenForms(raw: string): string[] {
  const out = new Set<string>();
  const given = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (given) out.add(given);
  const c = normaliseAsn(raw);
  out.add(c);
  const m = /^(\d{2})(\d{2}[A-Z0-9]{2})(\d{2})(\d{11})([A-Z])$/.exec(c);
  if (m) out.add(`${m[1]}${m[2]}${m[3]}${m[4].replace(/^0+(?=\d)/, '')}${m[5]}`);
  return [...out].filter((f) => f !== '');
}

const SQL = {
  nominalsById: `SELECT ${NOMINAL_COLUMNS} FROM ${NOMINALS}
    WHERE "NOMINAL_ID" = ANY($1::numeric[]) AND "DELETED_FLAG" = 'N' ORDER BY "NOMINAL_ID"`,
  nominalsByIdentifier: `SELECT ${NOMINAL_COLUMNS} FROM ${NOMINALS}
    WHERE "DELETED_FLAG" = 'N' AND ("NOMINAL_ID" = ANY($1::numeric[])
      OR upper(replace("PNC_ID", ' ', '')) = ANY($2::text[]) OR upper(replace("CRO_NO", ' ', '')) = ANY($3::text[])
      OR "NOMINAL_ID" IN (SELECT a."NOMINAL_ID" FROM "ARRESTS" a WHERE upper(regexp_replace(a."ASN", '[^A-Za-z0-9]', '', 'g')) = ANY($4::text[])))
    ORDER BY "NOMINAL_ID"`,
  // The surname is compared as a key (letters only, upper case), the same reduction as nameKey.
  nominalsBySurname: `SELECT ${NOMINAL_COLUMNS} FROM ${NOMINALS}
    WHERE "DELETED_FLAG" = 'N' AND regexp_replace(upper("SURNAME"), '[^A-Z]', '', 'g') = $1 AND ($2::text IS NULL OR "BIRTH_DATE" = $2)
    ORDER BY "NOMINAL_ID" LIMIT 200`,
  // Several searches in one query. Exact (t false): the surname key and, when given, the birth date.
  // Tolerant (t true): also a surname whose Soundex code is the same or one edit away (PostgreSQL's
  // fuzzystrmatch, installed in the public schema of the records database), or the birth date with a
  // forename of the same Soundex code. The birth date is then no filter.
  nominalsBySurnames: `SELECT ${NOMINAL_COLUMNS} FROM ${NOMINALS}
    WHERE "DELETED_FLAG" = 'N' AND EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) AS c(k, d, f, t)
      WHERE (regexp_replace(upper("NOMINALS"."SURNAME"), '[^A-Z]', '', 'g') = c.k AND (c.t OR c.d IS NULL OR "NOMINALS"."BIRTH_DATE" = c.d))
        OR (c.t AND (public.soundex(regexp_replace(upper("NOMINALS"."SURNAME"), '[^A-Z]', '', 'g')) = public.soundex(c.k)
          OR public.levenshtein(regexp_replace(upper("NOMINALS"."SURNAME"), '[^A-Z]', '', 'g'), c.k) <= 1))
        OR (c.t AND c.d IS NOT NULL AND c.f IS NOT NULL AND "NOMINALS"."BIRTH_DATE" = c.d AND public.soundex(upper("NOMINALS"."FORENAME_1")) = public.soundex(c.f)))
    ORDER BY "NOMINAL_ID" LIMIT $5`,
  arrestsByNominal: `SELECT a."ARREST_ID", a."NOMINAL_ID", a."ARREST_DATE", a."OFFENCE_CODE", a."STATION_OU", a."OUTCOME_CODE", a."CASE_URN", a."ASN",
      c."CUSTODY_ID", to_char(c."DETAINED_DATETIME", 'YYYY-MM-DD HH24:MI:SS') AS "DETAINED_DATETIME",
      to_char(c."RELEASED_DATETIME", 'YYYY-MM-DD HH24:MI:SS') AS "RELEASED_DATETIME", c."RELEASE_REASON"
    FROM "ARRESTS" a LEFT JOIN "CUSTODY_RECORDS" c ON c."ARREST_ID" = a."ARREST_ID"
    WHERE a."NOMINAL_ID" = ANY($1::numeric[]) ORDER BY a."NOMINAL_ID", a."ARREST_ID"`,
  warningMarkersByNominal: `SELECT w."NOMINAL_ID", w."MARKER_SEQ", w."MARKER_CODE", r."DESCRIPTION",
      to_char(w."START_DATE", 'YYYY-MM-DD') AS "START_DATE", to_char(w."END_DATE", 'YYYY-MM-DD') AS "END_DATE", w."ACTIVE_FLAG"
    FROM "WARNING_MARKERS" w LEFT JOIN "REFERENCE_CODES" r ON r."DOMAIN" = 'WARN_SIGNAL' AND r."CODE" = w."MARKER_CODE"
    WHERE w."NOMINAL_ID" = ANY($1::numeric[]) ORDER BY w."NOMINAL_ID", w."MARKER_SEQ"`,
  intelFlagsByNominal: `SELECT i."FLAG_ID", i."NOMINAL_ID", i."CATEGORY_CODE", r."DESCRIPTION" AS "CATEGORY_DESC", i."GRADING", i."RECORDED_DATE", i."NOTE_TEXT"
    FROM "INTEL_FLAGS" i LEFT JOIN "REFERENCE_CODES" r ON r."DOMAIN" = 'INTEL_CAT' AND r."CODE" = i."CATEGORY_CODE"
    WHERE i."NOMINAL_ID" = ANY($1::numeric[]) ORDER BY i."NOMINAL_ID", i."FLAG_ID"`,
  // The data-quality scan: nominals created, or arrested, on or after a date ($1 timestamp, $2 YYYYMMDD), by
  // nominal id after the last page's ($3), one page ($4 rows, one more to know whether more follow). The
  // records database keeps no last-changed column: creation and arrests are what it dates. ARREST_DATE is
  // VARCHAR DD-MON-YYYY, compared as YYYYMMDD text (a value that is not a date matches nothing, never fails).
  nominalsTouchedSince: `SELECT ${NOMINAL_COLUMNS} FROM ${NOMINALS}
    WHERE "DELETED_FLAG" = 'N' AND "NOMINAL_ID" > $3::numeric AND ("CREATE_DATETIME" >= $1::timestamp
      OR EXISTS (SELECT 1 FROM "ARRESTS" a WHERE a."NOMINAL_ID" = "NOMINALS"."NOMINAL_ID" AND a."ARREST_DATE" ~ '^[0-9]{2}-[A-Z]{3}-[0-9]{4}$'
        AND substr(a."ARREST_DATE", 8, 4) || lpad(array_position(ARRAY['JAN','FEB','MAR','APR','MAY','JUN','JUL','AUG','SEP','OCT','NOV','DEC']::text[], substr(a."ARREST_DATE", 4, 3))::text, 2, '0') || substr(a."ARREST_DATE", 1, 2) >= $2))
    ORDER BY "NOMINAL_ID" LIMIT $4`,
  health: `SELECT 1 AS "OK"`,
};

/** Nominals per data-quality scan page: one SELECT each. */
export const SCAN_PAGE_SIZE = 200;

/** Every operation this adapter sends, and what it does: all are SELECTs, so all may be retried. */
const OPERATIONS = {
  'nominals by id': 'read',
  'nominals by identifier': 'read',
  'search nominals': 'read',
  'arrests by nominal': 'read',
  'warning markers by nominal': 'read',
  'intelligence flags by nominal': 'read',
  'nominals touched since': 'read',
  health: 'read',
} as const satisfies Record<string, OperationKind>;
type Operation = keyof typeof OPERATIONS;

/** Nominal ids are NUMERIC(10): anything else cannot exist, and must not reach the numeric cast. */
const isNominalId = (id: string) => /^\d{1,10}$/.test(id);
const keyOf = (v: string | number | null | undefined) => String(v ?? '').trim();

export class PoliceClient {
  private readonly db: SqlExecutor;
  /** How the identity subgraph finds police nominals. */
  readonly identity: IdentitySource;
  /** Breaker, bulkhead, timeout and retries of the police database. */
  readonly policy: LegacyPolicy;

  constructor(private readonly config: PoliceConfig, options: LegacyPolicyOptions = {}) {
    this.db = createSqlExecutor(config.databaseUrl, { schema: config.schema, timeoutMs: config.timeoutMs, poolMax: config.poolMax });
    this.policy = policyFor(AGENCY, config, options);
    this.identity = {
      agency: AGENCY,
      supports: ['PNC', 'CRO', 'POLICE_NOMINAL_ID', 'ASN'],
      findByIdentifiers: (ids) => this.findByIdentifiers(ids),
      search: (criteria) => this.search(criteria),
      searchMany: (criteria) => this.searchMany(criteria),
      tolerantSearch: true,
    };
  }

  private run<T>(operation: Operation, text: string, params: unknown[]): Promise<T[]> {
    return this.policy.run({ operation, kind: OPERATIONS[operation] }, (signal) => sqlQuery<T>(this.db, { agency: AGENCY, operation, text, params, signal }));
  }

  /** Nominal records by id, one query for the batch. Ids with no record are absent from the map. */
  async nominals(ids: string[]): Promise<Map<string, PoliceNominal | AdapterError>> {
    const wanted = [...new Set(ids.filter(isNominalId))];
    const out = new Map<string, PoliceNominal | AdapterError>();
    if (wanted.length === 0) return out;
    const rows = await this.run<NominalRow>('nominals by id', SQL.nominalsById, [wanted]);
    for (const row of rows) out.set(keyOf(row.NOMINAL_ID), mapRecord(AGENCY, 'nominals by id', keyOf(row.NOMINAL_ID), row, mapNominal));
    return out;
  }

  /** Rows of one child table grouped by nominal id, each mapped on its own. */
  private async children<R extends { NOMINAL_ID: string | number }, M>(
    operation: Operation, text: string, ids: string[], recordId: (row: R) => string, map: (row: R) => M,
  ): Promise<Map<string, (M | AdapterError)[]>> {
    const wanted = [...new Set(ids.filter(isNominalId))];
    const out = new Map<string, (M | AdapterError)[]>();
    if (wanted.length === 0) return out;
    const rows = await this.run<R>(operation, text, [wanted]);
    for (const row of rows) {
      const key = keyOf(row.NOMINAL_ID);
      const list = out.get(key) ?? out.set(key, []).get(key)!;
      list.push(mapRecord(AGENCY, operation, recordId(row), row, map));
    }
    return out;
  }

  arrests(ids: string[]): Promise<Map<string, (Arrest | AdapterError)[]>> {
    return this.children<ArrestRow, Arrest>('arrests by nominal', SQL.arrestsByNominal, ids, (r) => keyOf(r.ARREST_ID), mapArrest);
  }

  warningMarkers(ids: string[]): Promise<Map<string, (WarningMarker | AdapterError)[]>> {
    return this.children<WarningMarkerRow, WarningMarker>('warning markers by nominal', SQL.warningMarkersByNominal, ids, (r) => `${keyOf(r.NOMINAL_ID)}/${keyOf(r.MARKER_SEQ)}`, mapWarningMarker);
  }

  intelligenceFlags(ids: string[]): Promise<Map<string, (IntelligenceFlag | AdapterError)[]>> {
    return this.children<IntelFlagRow, IntelligenceFlag>('intelligence flags by nominal', SQL.intelFlagsByNominal, ids, (r) => keyOf(r.FLAG_ID), mapIntelFlag);
  }

  /** Nominals holding any of the identifiers, in one query. A PNC also finds records keyed in short form. */
  async findByIdentifiers(ids: Identifier[]): Promise<IdentityRecord[]> {
    const nominalIds = new Set<string>(), pncs = new Set<string>(), cros = new Set<string>(), asns = new Set<string>();
    for (const id of ids) {
      if (id.type === 'POLICE_NOMINAL_ID' && isNominalId(id.value.trim())) nominalIds.add(id.value.trim());
      if (id.type === 'PNC') { const c = normalisePnc(id.value); if (c.valid) pncWrittenForms(c.value).forEach((f) => pncs.add(f)); }
      if (id.type === 'CRO') { const c = normaliseCro(id.value); if (c.valid) croKeyedForms(c.value).forEach((f) => cros.add(f)); }
      // The ASN the police gave at charge, as the court keys its records by it: the arrest names the nominal.
      if (id.type === 'ASN') asnWrittenForms(id.value).forEach((f) => asns.add(f));
    }
    if (nominalIds.size + pncs.size + cros.size + asns.size === 0) return [];
    const rows = await this.run<NominalRow>('nominals by identifier', SQL.nominalsByIdentifier, [[...nominalIds], [...pncs], [...cros], [...asns]]);
    return this.identityRecords(rows, 'nominals by identifier');
  }

  /** Nominals whose surname has the same key and, when given, the same date of birth. The forename is left to the caller's scoring: nicknames would defeat an exact match. */
  async search(criteria: IdentitySearch): Promise<IdentityRecord[]> {
    if (criteria.tolerant) return this.searchMany([criteria]);
    const key = nameKey(criteria.surname);
    if (key === '') return [];
    let dob: string | null = null;
    if (criteria.dateOfBirth) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(criteria.dateOfBirth);
      if (!m) return []; // no record can hold a date that is not one
      dob = `${m[3]}/${m[2]}/${m[1]}`;
    }
    const rows = await this.run<NominalRow>('search nominals', SQL.nominalsBySurname, [key, dob]);
    return this.identityRecords(rows, 'search nominals').filter((r) => nameKey(r.name.surname) === key);
  }

  /** Several searches in one query (SQL OR over the criteria, exact or tolerant), up to 200 rows a search. The forename goes to the database for tolerant searches. */
  async searchMany(criteria: IdentitySearch[]): Promise<IdentityRecord[]> {
    const usable: IdentitySearch[] = [];
    const rows: [string, string | null, string | null, boolean][] = [];
    for (const c of criteria) {
      const key = nameKey(c.surname);
      const m = c.dateOfBirth ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(c.dateOfBirth) : null;
      if (key === '' || (c.dateOfBirth && !m)) continue; // no record can hold a date that is not one
      usable.push(c);
      rows.push([key, m ? `${m[3]}/${m[2]}/${m[1]}` : null, c.forename ? nameKey(c.forename) || null : null, c.tolerant === true]);
    }
    if (!rows.length) return [];
    const found = await this.run<NominalRow>('search nominals', SQL.nominalsBySurnames, [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), Math.min(5000, 200 * rows.length)]);
    return this.identityRecords(found, 'search nominals').filter((r) => usable.some((c) => meetsSearch(r, c)));
  }

  /**
   * Maps nominal rows for linking. A row that cannot be read is kept as an unreadable record (its id and
   * the identifiers that pass their check characters), so the person's police link is reported, not lost.
   */
  private identityRecords(rows: NominalRow[], operation: Operation): IdentityRecord[] {
    const out: IdentityRecord[] = [];
    for (const row of rows) {
      const id = keyOf(row.NOMINAL_ID);
      const mapped = mapRecord(AGENCY, operation, id, row, mapNominal);
      if (!(mapped instanceof AdapterError)) out.push(toIdentityRecord(mapped));
      // The arrests' ASNs still point at the court's records: kept, so the court stays linked.
      else if (isNominalId(id)) {
        const asns = [...new Set(String(row.ASNS ?? '').split(/\s+/).filter((a) => a !== '').map(normaliseAsn))];
        out.push(unreadableIdentityRecord(AGENCY, id, 'POLICE_NOMINAL_ID', { pnc: checkedIdentifier('PNC', row.PNC_ID), cro: checkedIdentifier('CRO', row.CRO_NO), crossReferences: asns.map((value) => ({ type: 'ASN' as const, value })) }));
      }
    }
    return out;
  }

  /**
   * One page of the data-quality scan: the nominals created or arrested since `since` (YYYY-MM-DD) whose id
   * follows `after`, in id order, one SELECT. A nominal that cannot be read is kept by its id with why (the
   * field and what was expected, never the value). `after` is the next page's start, null on the last page.
   */
  async touchedSince(since: string, after: string | null, size = SCAN_PAGE_SIZE): Promise<{ records: IdentityRecord[]; unreadable: { localId: string; reason: string }[]; after: string | null }> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(since)) return { records: [], unreadable: [], after: null }; // no record is dated by what is not a date
    const from = after != null && isNominalId(after) ? after : '0';
    const rows = await this.run<NominalRow>('nominals touched since', SQL.nominalsTouchedSince, [`${since} 00:00:00`, since.replace(/-/g, ''), from, size + 1]);
    const page = rows.slice(0, size);
    const records: IdentityRecord[] = [];
    const unreadable: { localId: string; reason: string }[] = [];
    for (const row of page) {
      const id = keyOf(row.NOMINAL_ID);
      const mapped = mapRecord(AGENCY, 'nominals touched since', id, row, mapNominal);
      if (mapped instanceof AdapterError) unreadable.push({ localId: id, reason: unreadableReason(mapped) });
      else records.push(toIdentityRecord(mapped));
    }
    return { records, unreadable, after: rows.length > size ? keyOf(page[page.length - 1].NOMINAL_ID) : null };
  }

  /** A trivial query: proves the database answers within the timeout. */
  async health(): Promise<void> {
    await this.run('health', SQL.health, []);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}


// The only code that speaks to the police records-management database. Parameterised SQL only; every
// lookup takes a batch of nominal ids and sends one query (`= ANY($1)`) for it. Failures leave as
// AdapterErrors (from adapters/sql.ts); a row that cannot be mapped becomes BAD_SOURCE_DATA for that
// record alone.
import { AdapterError, mapRecord } from '../errors.js';
import { meetsSearch, nameKey, normaliseCro, normalisePnc, pncWrittenForms } from '../normalise.js';
import { createSqlExecutor, sqlQuery, type SqlExecutor } from '../sql.js';
import type { Identifier, IdentityRecord, IdentitySearch, IdentitySource } from '../../schema/model.js';
import type { PoliceConfig } from './config.js';
import {
  AGENCY, croKeyedForms, mapArrest, mapIntelFlag, mapNominal, mapWarningMarker, toIdentityRecord,
  type Arrest, type IntelligenceFlag, type PoliceNominal, type WarningMarker,
} from './mapping.js';
import type { ArrestRow, IntelFlagRow, NominalRow, WarningMarkerRow } from './wire.js';

const NOMINAL_COLUMNS = `"NOMINAL_ID", "SURNAME", "FORENAME_1", "FORENAME_2", "FORENAME_3", "BIRTH_DATE", "SEX_CODE", "PNC_ID", "CRO_NO", "FORCE_CODE"`;

const SQL = {
  nominalsById: `SELECT ${NOMINAL_COLUMNS} FROM "NOMINALS"
    WHERE "NOMINAL_ID" = ANY($1::numeric[]) AND "DELETED_FLAG" = 'N' ORDER BY "NOMINAL_ID"`,
  nominalsByIdentifier: `SELECT ${NOMINAL_COLUMNS} FROM "NOMINALS"
    WHERE "DELETED_FLAG" = 'N' AND ("NOMINAL_ID" = ANY($1::numeric[])
      OR upper(replace("PNC_ID", ' ', '')) = ANY($2::text[]) OR upper(replace("CRO_NO", ' ', '')) = ANY($3::text[]))
    ORDER BY "NOMINAL_ID"`,
  // The surname is compared as a key (letters only, upper case), the same reduction as nameKey.
  nominalsBySurname: `SELECT ${NOMINAL_COLUMNS} FROM "NOMINALS"
    WHERE "DELETED_FLAG" = 'N' AND regexp_replace(upper("SURNAME"), '[^A-Z]', '', 'g') = $1 AND ($2::text IS NULL OR "BIRTH_DATE" = $2)
    ORDER BY "NOMINAL_ID" LIMIT 200`,
  // Several searches in one query. Exact (t false): the surname key and, when given, the birth date.
  // Tolerant (t true): also a surname whose Soundex code is the same or one edit away (PostgreSQL's
  // fuzzystrmatch, installed in the public schema of the records database), or the birth date with a
  // forename of the same Soundex code. The birth date is then no filter.
  nominalsBySurnames: `SELECT ${NOMINAL_COLUMNS} FROM "NOMINALS" n
    WHERE "DELETED_FLAG" = 'N' AND EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) AS c(k, d, f, t)
      WHERE (regexp_replace(upper(n."SURNAME"), '[^A-Z]', '', 'g') = c.k AND (c.t OR c.d IS NULL OR n."BIRTH_DATE" = c.d))
        OR (c.t AND (public.soundex(regexp_replace(upper(n."SURNAME"), '[^A-Z]', '', 'g')) = public.soundex(c.k)
          OR public.levenshtein(regexp_replace(upper(n."SURNAME"), '[^A-Z]', '', 'g'), c.k) <= 1))
        OR (c.t AND c.d IS NOT NULL AND c.f IS NOT NULL AND n."BIRTH_DATE" = c.d AND public.soundex(upper(n."FORENAME_1")) = public.soundex(c.f)))
    ORDER BY "NOMINAL_ID" LIMIT $5`,
  arrestsByNominal: `SELECT a."ARREST_ID", a."NOMINAL_ID", a."ARREST_DATE", a."OFFENCE_CODE", a."STATION_OU", a."OUTCOME_CODE", a."CASE_URN",
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
  health: `SELECT 1 AS "OK"`,
};

/** Nominal ids are NUMERIC(10): anything else cannot exist, and must not reach the numeric cast. */
const isNominalId = (id: string) => /^\d{1,10}$/.test(id);
const keyOf = (v: string | number | null | undefined) => String(v ?? '').trim();

export class PoliceClient {
  private readonly db: SqlExecutor;
  /** How the identity subgraph finds police nominals. */
  readonly identity: IdentitySource;

  constructor(private readonly config: PoliceConfig) {
    this.db = createSqlExecutor(config.databaseUrl, { schema: config.schema, timeoutMs: config.timeoutMs, poolMax: config.poolMax });
    this.identity = {
      agency: AGENCY,
      supports: ['PNC', 'CRO', 'POLICE_NOMINAL_ID'],
      findByIdentifiers: (ids) => this.findByIdentifiers(ids),
      search: (criteria) => this.search(criteria),
      searchMany: (criteria) => this.searchMany(criteria),
      tolerantSearch: true,
    };
  }

  private run<T>(operation: string, text: string, params: unknown[]): Promise<T[]> {
    return sqlQuery<T>(this.db, { agency: AGENCY, operation, text, params, timeoutMs: this.config.timeoutMs });
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
    operation: string, text: string, ids: string[], recordId: (row: R) => string, map: (row: R) => M,
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
    const nominalIds = new Set<string>(), pncs = new Set<string>(), cros = new Set<string>();
    for (const id of ids) {
      if (id.type === 'POLICE_NOMINAL_ID' && isNominalId(id.value.trim())) nominalIds.add(id.value.trim());
      if (id.type === 'PNC') { const c = normalisePnc(id.value); if (c.valid) pncWrittenForms(c.value).forEach((f) => pncs.add(f)); }
      if (id.type === 'CRO') { const c = normaliseCro(id.value); if (c.valid) croKeyedForms(c.value).forEach((f) => cros.add(f)); }
    }
    if (nominalIds.size + pncs.size + cros.size === 0) return [];
    const rows = await this.run<NominalRow>('nominals by identifier', SQL.nominalsByIdentifier, [[...nominalIds], [...pncs], [...cros]]);
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

  /** Maps nominal rows for linking; an unreadable record is left out rather than failing the whole lookup. */
  private identityRecords(rows: NominalRow[], operation: string): IdentityRecord[] {
    const out: IdentityRecord[] = [];
    for (const row of rows) {
      const mapped = mapRecord(AGENCY, operation, keyOf(row.NOMINAL_ID), row, mapNominal);
      if (!(mapped instanceof AdapterError)) out.push(toIdentityRecord(mapped));
    }
    return out;
  }

  /** A trivial query: proves the database answers within the timeout. */
  async health(): Promise<void> {
    await this.run('health', SQL.health, []);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}


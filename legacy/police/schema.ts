// The police records-management database as the stand-in creates it: NOMIS-style quoted upper-case
// tables and columns, Y/N flags, a REFERENCE_CODES code table, and dates kept three different ways
// (VARCHAR DD/MM/YYYY, VARCHAR DD-MON-YYYY and YYYYMMDD, DATE, and TIMESTAMP in UK local time).
import { indexedName } from '../names.js';
import type { Population } from '../population.js';

export const DDL = `
CREATE TABLE "REFERENCE_CODES" (
  "DOMAIN" VARCHAR(12) NOT NULL,
  "CODE" VARCHAR(12) NOT NULL,
  "DESCRIPTION" VARCHAR(40) NOT NULL,
  "LIST_SEQ" NUMERIC(6),
  "ACTIVE_FLAG" VARCHAR(1) NOT NULL DEFAULT 'Y',
  PRIMARY KEY ("DOMAIN", "CODE")
);
CREATE TABLE "NOMINALS" (
  "NOMINAL_ID" NUMERIC(10) PRIMARY KEY,
  "SURNAME" VARCHAR(35) NOT NULL,
  "SURNAME_KEY" VARCHAR(35) NOT NULL,
  "FORENAME_1" VARCHAR(35),
  "FORENAME_2" VARCHAR(35),
  "FORENAME_3" VARCHAR(35),
  "BIRTH_DATE" VARCHAR(10),
  "SEX_CODE" VARCHAR(1) NOT NULL,
  "PNC_ID" VARCHAR(20),
  "CRO_NO" VARCHAR(20),
  "FORCE_CODE" VARCHAR(2) NOT NULL,
  "DELETED_FLAG" VARCHAR(1) NOT NULL DEFAULT 'N',
  "CREATE_DATETIME" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "NOMINALS_NI1" ON "NOMINALS" ("SURNAME_KEY");
CREATE TABLE "ARRESTS" (
  "ARREST_ID" VARCHAR(20) PRIMARY KEY,
  "NOMINAL_ID" NUMERIC(10) NOT NULL REFERENCES "NOMINALS" ("NOMINAL_ID"),
  "ARREST_DATE" VARCHAR(11) NOT NULL,
  "OFFENCE_CODE" VARCHAR(8),
  "STATION_OU" VARCHAR(7),
  "OUTCOME_CODE" VARCHAR(12),
  "CASE_URN" VARCHAR(20),
  "ASN" VARCHAR(21)
);
CREATE INDEX "ARRESTS_NI1" ON "ARRESTS" ("NOMINAL_ID");
CREATE TABLE "CUSTODY_RECORDS" (
  "CUSTODY_ID" VARCHAR(20) NOT NULL,
  "ARREST_ID" VARCHAR(20) NOT NULL REFERENCES "ARRESTS" ("ARREST_ID"),
  "DETAINED_DATETIME" TIMESTAMP NOT NULL,
  "RELEASED_DATETIME" TIMESTAMP,
  "RELEASE_REASON" VARCHAR(40)
);
CREATE INDEX "CUSTODY_RECORDS_NI1" ON "CUSTODY_RECORDS" ("ARREST_ID");
CREATE TABLE "WARNING_MARKERS" (
  "NOMINAL_ID" NUMERIC(10) NOT NULL REFERENCES "NOMINALS" ("NOMINAL_ID"),
  "MARKER_SEQ" NUMERIC(6) NOT NULL,
  "MARKER_CODE" VARCHAR(12) NOT NULL,
  "START_DATE" DATE NOT NULL,
  "END_DATE" DATE,
  "ACTIVE_FLAG" VARCHAR(1) NOT NULL DEFAULT 'Y',
  PRIMARY KEY ("NOMINAL_ID", "MARKER_SEQ")
);
CREATE TABLE "INTEL_FLAGS" (
  "FLAG_ID" VARCHAR(20) PRIMARY KEY,
  "NOMINAL_ID" NUMERIC(10) NOT NULL REFERENCES "NOMINALS" ("NOMINAL_ID"),
  "CATEGORY_CODE" VARCHAR(12) NOT NULL,
  "GRADING" VARCHAR(3),
  "RECORDED_DATE" VARCHAR(8),
  "NOTE_TEXT" VARCHAR(240)
);
CREATE INDEX "INTEL_FLAGS_NI1" ON "INTEL_FLAGS" ("NOMINAL_ID");
`;

/** PNC warning signal codes, arrest outcomes and intelligence categories, with one retired code each. */
export const REFERENCE_CODES: [domain: string, code: string, description: string, active: 'Y' | 'N'][] = [
  ['WARN_SIGNAL', 'AT', 'AILMENT', 'Y'], ['WARN_SIGNAL', 'CO', 'CONTAGIOUS', 'Y'], ['WARN_SIGNAL', 'DR', 'DRUGS', 'Y'],
  ['WARN_SIGNAL', 'ES', 'ESCAPER', 'Y'], ['WARN_SIGNAL', 'FI', 'FIREARMS', 'Y'], ['WARN_SIGNAL', 'IM', 'IMPERSONATES', 'Y'],
  ['WARN_SIGNAL', 'MH', 'MENTAL HEALTH', 'Y'], ['WARN_SIGNAL', 'SE', 'SEXUAL OFFENCES', 'Y'], ['WARN_SIGNAL', 'SU', 'SUICIDAL', 'Y'],
  ['WARN_SIGNAL', 'VI', 'VIOLENT', 'Y'], ['WARN_SIGNAL', 'WE', 'WEAPONS', 'Y'], ['WARN_SIGNAL', 'XP', 'EXPLOSIVES', 'Y'],
  ['WARN_SIGNAL', 'AG', 'ALLEGES', 'N'],
  ['ARR_OUTCOME', 'CHG', 'CHARGED', 'Y'], ['ARR_OUTCOME', 'NFA', 'NO FURTHER ACTION', 'Y'], ['ARR_OUTCOME', 'CAU', 'CAUTIONED', 'Y'],
  ['ARR_OUTCOME', 'RUI', 'RELEASED UNDER INVESTIGATION', 'Y'], ['ARR_OUTCOME', 'BAIL', 'POLICE BAIL', 'N'],
  ['INTEL_CAT', 'DRUGSUP', 'DRUGS SUPPLY', 'Y'], ['INTEL_CAT', 'OCG', 'ORGANISED CRIME GROUP', 'Y'], ['INTEL_CAT', 'FIREARMS', 'FIREARMS ACCESS', 'Y'],
  ['INTEL_CAT', 'CNTYLINES', 'COUNTY LINES', 'Y'], ['INTEL_CAT', 'CSE', 'CHILD EXPLOITATION', 'Y'], ['INTEL_CAT', 'HSG', 'HANDLING STOLEN GOODS', 'Y'],
  ['INTEL_CAT', 'VEHCRIME', 'VEHICLE CRIME', 'N'],
];

const OUTCOME_CODES: Record<string, string> = { CHARGED: 'CHG', NO_FURTHER_ACTION: 'NFA', CAUTIONED: 'CAU', RELEASED_UNDER_INVESTIGATION: 'RUI' };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const ddMonYyyy = (iso: string) => `${iso.slice(8, 10)}-${MONTHS[Number(iso.slice(5, 7)) - 1]}-${iso.slice(0, 4)}`;
/**
 * How a PNC was keyed into the nominal: older nominals have the short form (`01/12345X`, one in seven
 * here, chosen by id), records loaded from fixed-width PNC extracts the long form without its slash
 * (`20010012345X`, another one in seven); the rest the long form as the PNC prints it.
 */
export function pncAsKeyed(nominalId: string, pnc: string | null): string | null {
  const m = pnc ? /^(\d{2})(\d{2})\/(\d{7})([A-Z])$/.exec(pnc) : null;
  if (!m) return pnc;
  const [, century, yy, serial, check] = m;
  if (Number(nominalId) % 7 === 3) return `${yy}/${Number(serial)}${check}`;
  if (Number(nominalId) % 7 === 5) return `${century}${yy}${serial}${check}`;
  return pnc;
}
const yyyymmdd = (iso: string) => iso.slice(0, 10).replace(/-/g, '');

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});
/** A UTC instant as the custody system writes it: wall-clock UK time, no offset. */
export function ukLocalTime(isoUtc: string): string {
  const p = Object.fromEntries(london.formatToParts(new Date(isoUtc)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/**
 * When the nominal was created: at the first thing the force recorded about the person (first arrest,
 * warning marker or intelligence), else the first of January ten years before the reference date. UK local time, no offset.
 */
export function nominalCreated(n: Population['police'][number], referenceDate: string): string {
  const dates = [...n.arrests.map((a) => a.arrestDate), ...n.warningMarkers.map((m) => m.startDate), ...n.intelligenceFlags.map((f) => f.recordedDate)]
    .map((d) => d.slice(0, 10)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  return `${dates[0] ?? `${Number(referenceDate.slice(0, 4)) - 10}-01-01`} 09:00:00`;
}

type Row = unknown[];
export type Exec = (text: string, params?: unknown[]) => Promise<unknown>;

/** Multi-row parameterised INSERTs, 500 rows per statement: 2,000 people seed in well under a second. */
async function insertRows(exec: Exec, table: string, columns: string[], rows: Row[]): Promise<void> {
  const cols = columns.map((c) => `"${c}"`).join(', ');
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => `(${row.map((v) => { params.push(v); return `$${params.length}`; }).join(', ')})`);
    await exec(`INSERT INTO "${table}" (${cols}) VALUES ${tuples.join(', ')}`, params);
  }
}

/** Creates the tables (in the current search path) and loads `population.police` into them. */
export async function createAndSeed(exec: Exec, execScript: (sql: string) => Promise<unknown>, population: Population): Promise<void> {
  // Phonetic and edit-distance search (Soundex, Levenshtein) as the records database offers it: PostgreSQL's
  // fuzzystrmatch, in the public schema. Several stand-ins may seed one server at once: a lost race is no error.
  try {
    await execScript('CREATE EXTENSION IF NOT EXISTS fuzzystrmatch WITH SCHEMA public');
  } catch (err) {
    if (!/already exists|duplicate key/i.test((err as Error).message)) throw err;
  }
  await execScript(DDL);
  await insertRows(exec, 'REFERENCE_CODES', ['DOMAIN', 'CODE', 'DESCRIPTION', 'LIST_SEQ', 'ACTIVE_FLAG'], REFERENCE_CODES.map(([d, c, desc, a], i) => [d, c, desc, i + 1, a]));
  const nominals: Row[] = [], arrests: Row[] = [], custody: Row[] = [], markers: Row[] = [], intel: Row[] = [];
  for (const n of population.police) {
    const [f1 = null, f2 = null, f3 = null] = n.forenames;
    nominals.push([n.nominalId, n.surname, indexedName(n.surname), f1, f2, f3, n.dateOfBirth ? ddmmyyyy(n.dateOfBirth) : null, n.sex, pncAsKeyed(n.nominalId, n.pnc), n.cro, n.forceCode, nominalCreated(n, population.referenceDate)]);
    for (const a of n.arrests) {
      arrests.push([a.arrestId, n.nominalId, ddMonYyyy(a.arrestDate), a.offenceCode, a.stationOu, OUTCOME_CODES[a.outcome], a.caseUrn, a.asn]);
      if (a.custody) custody.push([a.custody.custodyId, a.arrestId, ukLocalTime(a.custody.detainedAt), a.custody.releasedAt ? ukLocalTime(a.custody.releasedAt) : null, a.custody.releaseReason]);
    }
    n.warningMarkers.forEach((m, i) => markers.push([n.nominalId, i + 1, m.code, m.startDate, m.endDate, m.endDate ? 'N' : 'Y']));
    for (const f of n.intelligenceFlags) {
      const code = REFERENCE_CODES.find(([d, , desc]) => d === 'INTEL_CAT' && desc === f.category)?.[1] ?? f.category.slice(0, 12);
      intel.push([f.flagId, n.nominalId, code, f.grading, yyyymmdd(f.recordedDate), f.note]);
    }
  }
  await insertRows(exec, 'NOMINALS', ['NOMINAL_ID', 'SURNAME', 'SURNAME_KEY', 'FORENAME_1', 'FORENAME_2', 'FORENAME_3', 'BIRTH_DATE', 'SEX_CODE', 'PNC_ID', 'CRO_NO', 'FORCE_CODE', 'CREATE_DATETIME'], nominals);
  await insertRows(exec, 'ARRESTS', ['ARREST_ID', 'NOMINAL_ID', 'ARREST_DATE', 'OFFENCE_CODE', 'STATION_OU', 'OUTCOME_CODE', 'CASE_URN', 'ASN'], arrests);
  await insertRows(exec, 'CUSTODY_RECORDS', ['CUSTODY_ID', 'ARREST_ID', 'DETAINED_DATETIME', 'RELEASED_DATETIME', 'RELEASE_REASON'], custody);
  await insertRows(exec, 'WARNING_MARKERS', ['NOMINAL_ID', 'MARKER_SEQ', 'MARKER_CODE', 'START_DATE', 'END_DATE', 'ACTIVE_FLAG'], markers);
  await insertRows(exec, 'INTEL_FLAGS', ['FLAG_ID', 'NOMINAL_ID', 'CATEGORY_CODE', 'GRADING', 'RECORDED_DATE', 'NOTE_TEXT'], intel);
}

// Typed access to the real CJS code lists in reference/data. Loaded lazily, once per process.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const dataDir = fileURLToPath(new URL('./data/', import.meta.url));

function csv<T>(file: string): T[] {
  return parse(readFileSync(dataDir + file, 'utf8'), { columns: true, skip_empty_lines: true }) as T[];
}
function json<T>(file: string): T {
  return JSON.parse(readFileSync(dataDir + file, 'utf8')) as T;
}
function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

export interface OffenceCode { cjsCode: string; category: string; title: string; recordableOnPnc: boolean }
export interface ResultCode { cjsCode: string; description: string; type: string }
export interface OrganisationUnit { ouCode: string; topLevelName: string; secondLevelName: string; thirdLevelName: string; name: string }
export interface Prison { prisonId: string; name: string; active: boolean; male: boolean; female: boolean }
export interface Court { courtId: string; name: string; type: string; town: string; postcode: string }
/** One row of a CJS standing-data cross-walk: the same concept in CJS, PNC and SPI (Libra) codes. */
export interface CrossWalk { cjsCode: string; description: string; pncCode?: string; spiCode?: string; xhibitCode?: string }

export const offenceCodes = lazy(() => {
  const rows = csv<Record<string, string>>('cjs-offence-codes.csv');
  return new Map<string, OffenceCode>(rows.map((r) => [r.cjs_code, {
    cjsCode: r.cjs_code, category: r.offence_category, title: r.offence_title, recordableOnPnc: r.recordable_on_pnc === 'True',
  }]));
});

export const resultCodes = lazy(() => new Map<string, ResultCode>(
  csv<Record<string, string>>('cjs-result-codes.csv').map((r) => [r.cjs_code, { cjsCode: r.cjs_code, description: r.description, type: r.type }]),
));

export const organisationUnits = lazy(() => new Map<string, OrganisationUnit>(
  csv<Record<string, string>>('organisation-units.csv').map((r) => [r.ou_code, {
    ouCode: r.ou_code, topLevelName: r.top_level_name, secondLevelName: r.second_level_name, thirdLevelName: r.third_level_name,
    name: [r.third_level_name || r.second_level_name, r.top_level_name].filter(Boolean).join(' '),
  }]),
));

export const prisons = lazy(() => new Map<string, Prison>(
  csv<Record<string, string>>('prisons.csv').map((r) => [r.prison_id, {
    prisonId: r.prison_id, name: r.name, active: r.active === 't', male: r.male === 't', female: r.female === 't',
  }]),
));

export const courts = lazy(() => new Map<string, Court>(
  csv<Record<string, string>>('courts.csv').map((r) => [r.court_id, {
    courtId: r.court_id, name: r.court_name, type: r.court_type, town: r.town, postcode: r.postcode,
  }]),
));

export const standingData = {
  gender: lazy(() => json<CrossWalk[]>('cjs-standing-data/gender.json')),
  plea: lazy(() => json<CrossWalk[]>('cjs-standing-data/plea-status.json')),
  verdict: lazy(() => json<CrossWalk[]>('cjs-standing-data/verdict.json')),
  remandStatus: lazy(() => json<CrossWalk[]>('cjs-standing-data/remand-status.json')),
  forces: lazy(() => json<{ code: string; name: string }[]>('cjs-standing-data/forces.json')),
  /** CJS offence categories (CE Either Way, CS Summary Non-motoring, ...): the labels of aggregates by category. */
  offenceCategory: lazy(() => json<{ cjsCode: string; description: string }[]>('cjs-standing-data/offence-category.json')),
};

/** Finds the cross-walk row whose code in `system` equals `code`; undefined when the code is unknown. */
export function crossWalk(list: CrossWalk[], system: 'cjsCode' | 'pncCode' | 'spiCode', code: string): CrossWalk | undefined {
  return list.find((row) => row[system] === code);
}

// Rows as the police records-management database returns them to the adapter's SELECTs. Column names
// are the legacy ones; dates arrive as text in each column's own format (the SELECTs format DATE and
// TIMESTAMP columns with to_char so that no driver ever turns them into a JS Date in some time zone).

/** NOMINALS: one person as the force recorded them. */
export interface NominalRow {
  /** NUMERIC(10): the pg driver returns it as a string. */
  NOMINAL_ID: string | number;
  /** Upper case as keyed, e.g. `O'BRIEN`. */
  SURNAME: string | null;
  FORENAME_1: string | null;
  FORENAME_2: string | null;
  FORENAME_3: string | null;
  /** VARCHAR `DD/MM/YYYY`, as keyed. */
  BIRTH_DATE: string | null;
  /** PNC gender code: M, F or U. */
  SEX_CODE: string | null;
  /** As keyed: long (`2001/0012345X`) or short form (`01/12345X`), sometimes with a wrong check character. */
  PNC_ID: string | null;
  CRO_NO: string | null;
  /** PNC force code, two digits (`01` Metropolitan Police). */
  FORCE_CODE: string | null;
  /** The ASNs of the nominal's arrests, space-separated (aggregated from ARRESTS."ASN"); null when none. */
  ASNS?: string | null;
}

/** ARRESTS joined with its CUSTODY_RECORDS row, when there is one. */
export interface ArrestRow {
  ARREST_ID: string;
  NOMINAL_ID: string | number;
  /** VARCHAR `DD-MON-YYYY`, e.g. `04-MAR-2024`. */
  ARREST_DATE: string | null;
  /** CJS offence code, e.g. `TH68010`. */
  OFFENCE_CODE: string | null;
  /** Police station organisation unit, e.g. `01AB00`. */
  STATION_OU: string | null;
  /** REFERENCE_CODES domain ARR_OUTCOME: CHG, NFA, CAU, RUI. */
  OUTCOME_CODE: string | null;
  CASE_URN: string | null;
  /** Arrest Summons Number given at charge, e.g. `2601ZD0100000448754K`; null before charge. */
  ASN?: string | null;
  CUSTODY_ID: string | null;
  /** TIMESTAMP in UK local time (no offset), formatted `YYYY-MM-DD HH24:MI:SS`. */
  DETAINED_DATETIME: string | null;
  RELEASED_DATETIME: string | null;
  RELEASE_REASON: string | null;
}

/** WARNING_MARKERS joined with REFERENCE_CODES (domain WARN_SIGNAL) for the description. */
export interface WarningMarkerRow {
  NOMINAL_ID: string | number;
  MARKER_SEQ: string | number;
  /** PNC warning signal code: VI, WE, DR, ... */
  MARKER_CODE: string | null;
  /** From REFERENCE_CODES; null when the code is not on the code table. */
  DESCRIPTION: string | null;
  /** DATE columns formatted `YYYY-MM-DD`. */
  START_DATE: string | null;
  END_DATE: string | null;
  /** Y or N. */
  ACTIVE_FLAG: string | null;
}

/** INTEL_FLAGS joined with REFERENCE_CODES (domain INTEL_CAT) for the category description. */
export interface IntelFlagRow {
  FLAG_ID: string;
  NOMINAL_ID: string | number;
  CATEGORY_CODE: string | null;
  CATEGORY_DESC: string | null;
  /** 3x5x2-style grading, e.g. `2B1`. */
  GRADING: string | null;
  /** VARCHAR `YYYYMMDD`. */
  RECORDED_DATE: string | null;
  NOTE_TEXT: string | null;
}

import { describe, expect, it } from 'vitest';
import { AdapterError, MappingError } from '../../../adapters/errors.js';
import { cutFixedWidth, recordLength } from '../../../adapters/files.js';
import { parseVcsDat, parseVictimsCsv } from '../../../adapters/victims/client.js';
import { csvRow, mapAddress, mapContactScheme, mapName, mapVictim, urnKey, vcsRecord } from '../../../adapters/victims/mapping.js';
import { VCS_DETAIL_LAYOUT, VCS_RECORD_LENGTH, VICTIMS_CSV_COLUMNS, type VcsDetailRecord } from '../../../adapters/victims/wire.js';

const header = [...VICTIMS_CSV_COLUMNS];
const cells = (over: Partial<Record<(typeof VICTIMS_CSV_COLUMNS)[number], string>> = {}) => {
  const base: Record<string, string> = {
    VICTIM_ID: 'V0000101', PTIURN: '01ZD0303208', VICTIM_NAME: "O'BRIEN-SMITH, Siobhan Mary", DOB: '04/07/1979', ADDR_1: 'Flat 2',
    ADDR_2: '14, Victoria Road', TOWN: 'SHEFFIELD', POSTCODE: 's1  2ab', VLO_CODE: 'vlo012', DELETED_IND: 'N', LAST_UPD: '28/10/2026',
  };
  return header.map((h) => over[h] ?? base[h]);
};
/** A VCS detail record laid out as the export writes it. */
const vcsLine = (v: Partial<VcsDetailRecord> = {}) =>
  VCS_DETAIL_LAYOUT.map((f) => (v[f.name] ?? { REC_TYPE: 'D', VICTIM_ID: 'V0000101', VCS_OPT_IN: 'Y', DECISION_DT: '20261002', CONTACT_MTHD: 'EML', EMAIL_ADDR: 'Siobhan.OBrien@Example.org', TEL_NO: '' }[f.name]).padEnd(f.width)).join('');

describe('victims export layout', () => {
  it('declares a VCS record length that matches its fields', () => {
    expect(recordLength(VCS_DETAIL_LAYOUT)).toBe(VCS_RECORD_LENGTH);
    expect(vcsLine()).toHaveLength(VCS_RECORD_LENGTH);
  });

  it('cuts a fixed-width record into trimmed fields by its 1-based columns', () => {
    const layout = [{ name: 'A', start: 1, width: 2, description: '' }, { name: 'B', start: 3, width: 4, description: '' }] as const;
    expect(cutFixedWidth('X ab  ', layout)).toEqual({ A: 'X', B: 'ab' });
    expect(() => cutFixedWidth('X ab', layout)).toThrow('a record of 6 characters, got 4');
  });
});

describe('mapName', () => {
  it.each([
    ["O'BRIEN-SMITH, Siobhan Mary", { forenames: ['Siobhan', 'Mary'], surname: "O'Brien-Smith", fullName: "Siobhan Mary O'Brien-Smith" }],
    ['PATEL,  amit', { forenames: ['Amit'], surname: 'Patel', fullName: 'Amit Patel' }],
    ['KHAN', { forenames: [], surname: 'Khan', fullName: 'Khan' }],
  ])('reads the surname-first name %j', (input, expected) => {
    expect(mapName(input)).toEqual({ title: null, ...expected });
  });

  it('refuses an empty name', () => {
    expect(() => mapName('  ')).toThrow(MappingError);
  });
});

describe('mapAddress', () => {
  it.each([
    [{ ADDR_1: 'Flat 2', ADDR_2: '14, Victoria Road', TOWN: 'SHEFFIELD', POSTCODE: 's1  2ab' }, { lines: ['Flat 2', '14, Victoria Road'], town: 'SHEFFIELD', postcode: 'S1 2AB' }],
    [{ ADDR_1: '3 High Street', ADDR_2: '', TOWN: 'BRISTOL', POSTCODE: 'BS1 4DJ' }, { lines: ['3 High Street'], town: 'BRISTOL', postcode: 'BS1 4DJ' }],
    [{ ADDR_1: '', ADDR_2: '', TOWN: '', POSTCODE: '' }, { lines: [], town: null, postcode: null }],
  ])('keeps the address lines as recorded and tidies the postcode (%#)', (row, expected) => {
    expect(mapAddress(row)).toEqual(expected);
  });

  it('refuses a postcode with characters no postcode has, without echoing it', () => {
    expect(() => mapAddress({ ADDR_1: '', ADDR_2: '', TOWN: '', POSTCODE: 'S1;DROP' })).toThrow(/^expected a postcode in POSTCODE$/);
  });
});

describe('mapContactScheme', () => {
  it.each([
    [{}, { optedIn: true, decisionDate: '2026-10-02' }, { method: 'EMAIL', email: 'siobhan.obrien@example.org', phone: null }],
    [{ VCS_OPT_IN: 'N', CONTACT_MTHD: 'NON', EMAIL_ADDR: '' }, { optedIn: false, decisionDate: '2026-10-02' }, { method: 'NONE', email: null, phone: null }],
    [{ CONTACT_MTHD: 'TEL', EMAIL_ADDR: '', TEL_NO: '07700  900123' }, { optedIn: true, decisionDate: '2026-10-02' }, { method: 'PHONE', email: null, phone: '07700 900123' }],
    [{ CONTACT_MTHD: 'LET', EMAIL_ADDR: '' }, { optedIn: true, decisionDate: '2026-10-02' }, { method: 'LETTER', email: null, phone: null }],
    [{ VCS_OPT_IN: '', DECISION_DT: '', CONTACT_MTHD: '', EMAIL_ADDR: '' }, { optedIn: false, decisionDate: null }, { method: null, email: null, phone: null }],
  ])('reads the decision and preferences of a VCS record (%#)', (over, scheme, prefs) => {
    expect(mapContactScheme(vcsRecord(vcsLine(over)))).toEqual({ contactScheme: scheme, contactPreferences: prefs });
  });

  it.each([
    [{ DECISION_DT: '20260230' }, 'a real calendar date'],
    [{ VCS_OPT_IN: 'X' }, 'Y or N'],
    [{ CONTACT_MTHD: 'SMS' }, 'EML, TEL, LET or NON'],
    [{ EMAIL_ADDR: 'not-an-address' }, /^expected an email address in EMAIL_ADDR$/],
    [{ TEL_NO: 'call me' }, /^expected a telephone number in TEL_NO$/],
  ])('refuses a VCS record that cannot be read faithfully (%#)', (over, message) => {
    expect(() => mapContactScheme(vcsRecord(vcsLine(over)))).toThrow(message);
  });

  it('refuses a record cut short, and a header or trailer record in place of a detail record', () => {
    expect(() => vcsRecord(vcsLine().slice(0, 60))).toThrow('a record of 103 characters, got 60');
    expect(() => vcsRecord(vcsLine({ REC_TYPE: 'T' }))).toThrow('record type D');
  });
});

describe('mapVictim', () => {
  it('joins a CSV row and its VCS record into one victim', () => {
    expect(mapVictim({ header, cells: cells(), vcsLines: [vcsLine()] })).toEqual({
      id: 'V0000101',
      caseUrn: '01ZD0303208',
      name: { title: null, forenames: ['Siobhan', 'Mary'], surname: "O'Brien-Smith", fullName: "Siobhan Mary O'Brien-Smith" },
      dateOfBirth: '1979-07-04',
      address: { lines: ['Flat 2', '14, Victoria Road'], town: 'SHEFFIELD', postcode: 'S1 2AB' },
      contactScheme: { optedIn: true, decisionDate: '2026-10-02' },
      contactPreferences: { method: 'EMAIL', email: 'siobhan.obrien@example.org', phone: null },
      liaisonOfficer: 'VLO012',
      lastUpdated: '2026-10-28',
    });
  });

  it('reads a blank date of birth, liaison officer and missing VCS record as null', () => {
    const v = mapVictim({ header, cells: cells({ DOB: '', VLO_CODE: ' ', PTIURN: '01zd0303208' }), vcsLines: [] })!;
    expect(v).toMatchObject({ dateOfBirth: null, liaisonOfficer: null, contactScheme: null, contactPreferences: null, caseUrn: '01ZD0303208' });
  });

  it('leaves out a record the system has closed', () => {
    expect(mapVictim({ header, cells: cells({ DELETED_IND: 'Y' }), vcsLines: [vcsLine()] })).toBeNull();
  });

  it.each([
    ['an impossible date of birth', cells({ DOB: '31/02/1985' }), [vcsLine()], 'a real calendar date, got "31/02/1985" in DOB'],
    ['a date of birth in the wrong format', cells({ DOB: '1985-02-01' }), [], 'a date as DD/MM/YYYY'],
    ['a row with a column missing', cells().slice(0, 10), [], '11 columns, got 10 in row'],
    ['a row with an unquoted comma', [...cells().slice(0, 3), 'Mary', ...cells().slice(3)], [], '11 columns, got 12 in row'],
    ['a closed flag that is not Y or N', cells({ DELETED_IND: '?' }), [], 'Y or N'],
    ['no case URN', cells({ PTIURN: '' }), [], 'a case URN'],
    ['two VCS records for one victim', cells(), [vcsLine(), vcsLine({ VCS_OPT_IN: 'N' })], 'one record per victim, got 2'],
  ])('refuses %s', (_, rowCells, vcsLines, message) => {
    expect(() => mapVictim({ header, cells: rowCells, vcsLines })).toThrow(message);
  });

  it('reads the columns by header name, whatever their order', () => {
    const reversed = [...header].reverse();
    const row = csvRow(reversed, [...cells()].reverse());
    expect(row.VICTIM_ID).toBe('V0000101');
    expect(mapVictim({ header: reversed, cells: [...cells()].reverse(), vcsLines: [] })?.id).toBe('V0000101');
  });

  it('keys case URNs in upper case without spaces', () => {
    expect(urnKey(' 01zd 0303208 ')).toBe('01ZD0303208');
  });
});

describe('parseVictimsCsv', () => {
  const csv = (rows: string[]) => '\uFEFF' + [header.join(','), ...rows].join('\r\n') + '\r\n';
  const row = 'V0000101,01ZD0303208,"O\'BRIEN-SMITH, Siobhan Mary",04/07/1979,Flat 2,"14, Victoria Road",SHEFFIELD,S1 2AB,VLO012,N,28/10/2026';

  it('reads quoted fields with commas and drops the byte-order mark and the trailer row', () => {
    const out = parseVictimsCsv(csv([row, 'TRAILER,1']));
    expect(out.header[0]).toBe('VICTIM_ID');
    expect(out.rows).toEqual([['V0000101', '01ZD0303208', "O'BRIEN-SMITH, Siobhan Mary", '04/07/1979', 'Flat 2', '14, Victoria Road', 'SHEFFIELD', 'S1 2AB', 'VLO012', 'N', '28/10/2026']]);
  });

  it('accepts an export without a trailer', () => {
    expect(parseVictimsCsv(csv([row])).rows).toHaveLength(1);
  });

  it('keeps a row with the wrong number of columns for the mapping to refuse, rather than failing the file', () => {
    expect(parseVictimsCsv(csv([row, 'V0000102,01ZD0303208', 'TRAILER,2'])).rows[1]).toEqual(['V0000102', '01ZD0303208']);
  });

  it.each([
    ['a trailer count that disagrees with the rows', csv([row, 'TRAILER,2']), 'trailer declares 2 rows, file holds 1'],
    ['a trailer without a count', csv([row, 'TRAILER,']), 'trailer declares no number of rows'],
    ['a header without the expected columns', 'ID,URN\r\nV1,01ZD0303208\r\n', 'header lacks'],
    ['an unterminated quote', csv(['V0000101,"unterminated']), 'not valid CSV'],
  ])('refuses the whole export for %s', (_, text, message) => {
    const err = (() => { try { parseVictimsCsv(text); } catch (e) { return e; } })() as AdapterError;
    expect(err).toBeInstanceOf(AdapterError);
    expect(err.code).toBe('BAD_SOURCE_DATA');
    expect(err.detail).toContain(message); // for the log; the client reads only that the export could not be read
    expect(err.message).toBe('victims system export could not be read');
    expect(`${err.message} ${err.detail}`).not.toContain('SHEFFIELD');
  });
});

describe('parseVcsDat', () => {
  const head = 'HVCS     20261031'.padEnd(VCS_RECORD_LENGTH);
  const trailer = (n: number) => `T${String(n).padStart(9, '0')}`.padEnd(VCS_RECORD_LENGTH);

  it('indexes detail records by victim id, whatever the line endings', () => {
    const out = parseVcsDat([head, vcsLine(), vcsLine({ VICTIM_ID: 'V0000102' }), trailer(2)].join('\r\n') + '\r\n');
    expect([...out.byVictim.keys()]).toEqual(['V0000101', 'V0000102']);
  });

  it('attributes a broken record to the victim id in its columns', () => {
    expect(parseVcsDat([head, vcsLine().slice(0, 40), trailer(1)].join('\n')).byVictim.get('V0000101')).toHaveLength(1);
  });

  it('refuses the whole export when the trailer count disagrees', () => {
    const err = (() => { try { parseVcsDat([head, vcsLine(), trailer(3)].join('\n')); } catch (e) { return e; } })() as AdapterError;
    expect(err.detail).toBe('trailer declares 3 records, file holds 1');
  });
});

// Stand-in for the magistrates' courts result store (Libra): it holds Libra court result messages
// (DC:ResultedCaseMessage, namespace http://www.dca.gov.uk/xmlschemas/libra, schema 0.6g) in the CJSE
// DeliverRequest envelope, exactly as the CJSE delivers them, and answers one SOAP 1.1 operation at
// POST /libra/CaseService (a stand-in extension: the real Libra pushes these messages, and a consumer
// keeps what it was delivered):
//   GetResultedCases  DC:ProsecutorReference* (ASNs) | DC:PTIURN* | DC:PersonFamilyName [DC:Birthdate]
//                     → GetResultedCasesResponse holding every matching DeliverRequest, unchanged
//   ScanResultedCases  DC:DateOfHearingFrom DC:DateOfHearingTo [DC:After] [DC:PageSize]   (reporting scan)
//                     → ScanResultedCasesResponse: every delivered message of each case (by ASN, in ASN
//                       order) that had a session, or has a hearing listed, in the window, at most PageSize (≤ 200) cases a page,
//                       then DC:LastProsecutorReference when more cases follow (send it as DC:After)
// Messages come from the shared population (one per hearing session that has happened: the first
// hearing adjourns the case to the next with a NextHearing; a concluded case's last session records
// pleas, findings and disposals) and, when given, from a folder of delivered messages (COURTS_LIBRA_DIR,
// every *.xml file in it). Messages carry no PNC and no defendant id: the ASN is the key, as in Libra.
// Faults: down → 503; error → soap:Server fault; malformed → the first message carries an impossible
// DateOfHearing, or truncated XML when there is no message.
// It also lists hearings as Common Platform shapes them, with bail status and custody time limits
// (GET /common-platform/listing/hearings, a stand-in extension: legacy/courts/listing.ts). Faults there:
// down → 503; error → 500; malformed → truncated JSON.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { listen } from '../http.js';
import { crossWalk, offenceCodes, resultCodes, standingData } from '../../reference/index.js';
import { FaultControl, RequestCounter, type StandIn, type StandInOptions, type StartStandIn } from '../faults.js';
import type { CourtCase, CourtDefendant, CourtOffence, Population } from '../population.js';
import { LISTING_OPERATION, LISTING_PATH, listHearings, parseListingQuery } from './listing.js';

const LIBRA_NS = 'http://www.dca.gov.uk/xmlschemas/libra';
const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const PATH = '/libra/CaseService';
const OPERATION = 'GetResultedCases';
/** The reporting scan: cases heard in a window, a bounded page at a time. */
const SCAN = 'ScanResultedCases';
const MAX_SCAN_PAGE = 200;
const MAX_KEYS = 500;
const MAX_BODY = 1_000_000;
/** Remand results that adjourn a case to its next hearing, by SPI remand status (CJS result codes). */
const REMAND_RESULT: Record<CourtCase['bailStatus'], string> = { U: '4047', B: '4027', C: '4028' };

class ClientFault extends Error {}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const el = (name: string, value: string | number | null | undefined) => (value == null || value === '' ? '' : `<DC:${name}>${esc(String(value))}</DC:${name}>`);
const wrap = (name: string, inner: string) => (inner === '' ? '' : `<DC:${name}>${inner}</DC:${name}>`);
/** A date Libra could never have sent: 30 February of the same year. */
const impossible = (iso: string) => `${iso.slice(0, 4)}-02-30`;
/** Letters only, upper case: the search key Libra builds from a family name. */
const searchKey = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z]/g, '');

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP_NS}" xmlns:DC="${LIBRA_NS}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}
function fault(code: 'Client' | 'Server', message: string): string {
  return envelope(`<soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${esc(message)}</faultstring></soap:Fault>`);
}

/** The CJSE envelope's fixed header, as in delivered messages (reference/libra/). */
function deliverRequest(id: string, created: string, resultedCase: string): string {
  return '<DeliverRequest xmlns="http://schemas.cjse.gov.uk/messages/deliver/2006-05" xmlns:mf="http://schemas.cjse.gov.uk/messages/format/2006-05" xmlns:mm="http://schemas.cjse.gov.uk/messages/metadata/2006-05" xmlns:msg="http://schemas.cjse.gov.uk/messages/messaging/2006-05">'
    + `<msg:MessageIdentifier>${esc(id)}</msg:MessageIdentifier>`
    + '<msg:RequestingSystem><msg:Name>CJSE</msg:Name><msg:OrgUnitCode>Z000000</msg:OrgUnitCode><msg:Environment>Production</msg:Environment></msg:RequestingSystem>'
    + '<msg:AckRequested>1</msg:AckRequested>'
    + `<mm:MessageMetadata SchemaVersion="1.0"><mm:OriginatingSystem><msg:Name>LIBRA</msg:Name><msg:OrgUnitCode>B00LI00</msg:OrgUnitCode><msg:Environment>Production</msg:Environment></mm:OriginatingSystem><mm:CreationDateTime>${created}T18:00:00Z</mm:CreationDateTime></mm:MessageMetadata>`
    + '<mf:MessageFormat SchemaVersion="1.0"><mf:MessageType><msg:Type>SPIResults</msg:Type><msg:Version>1.200</msg:Version></mf:MessageType><mf:MessageSchema><msg:Namespace>http://www.dca.gov.uk/xmlschemas/libra</msg:Namespace><msg:Version>TBC</msg:Version></mf:MessageSchema></mf:MessageFormat>'
    + `<Message><DC:ResultedCaseMessage xmlns:DC="${LIBRA_NS}" Flow="ResultedCasesForThePolice" Interface="LibraStandardProsecutorPolice" SchemaVersion="0.6g">${resultedCase}</DC:ResultedCaseMessage></Message>`
    + '</DeliverRequest>';
}

/** A delivered message and the keys it is found by. */
interface Stored { asns: string[]; urns: string[]; names: { key: string; birthdate: string }[]; xml: string; firstHearingDate: string | null;
  /** The session's date and the next hearing it lists, for the reporting scan (a file's message: its session only). */
  hearingDates?: string[] }

function renderOffence(o: CourtOffence, final: boolean, next: { courtOu: string; date: string; time: string } | null, bail: CourtCase['bailStatus']): string {
  const wording = o.wording || offenceCodes().get(o.offenceCode)?.title || '';
  const timing = el('OffenceDateCode', '1') + wrap('OffenceStart', el('OffenceDateStartDate', o.offenceDate));
  const base = el('OffenceSequenceNumber', String(o.sequence).padStart(3, '0')) + el('OffenceCode', o.offenceCode) + el('OffenceWording', wording)
    + wrap('OffenceTiming', timing) + el('ChargeDate', o.chargeDate) + el('ArrestDate', o.arrestDate);
  let results = '';
  if (final) {
    results = o.results.map((r) => wrap('Result', el('ResultCode', r.code) + el('ResultText', r.text || resultCodes().get(r.code)?.description))).join('');
  } else if (next) {
    const code = REMAND_RESULT[bail];
    const nextHearing = wrap('NextHearing', wrap('NextHearingDetails', el('CourtHearingLocation', next.courtOu) + el('DateOfHearing', next.date) + el('TimeOfHearing', next.time))
      + el('NextHearingReason', 'to continue the hearing;') + el('BailStatusOffence', bail));
    results = wrap('Result', el('ResultCode', code) + el('ResultText', resultCodes().get(code)?.description) + nextHearing);
  }
  // Population findings are CJS verdict codes; Libra speaks SPI.
  const finding = final && o.finding ? crossWalk(standingData.verdict(), 'cjsCode', o.finding)?.spiCode ?? o.finding : null;
  return wrap('Offence', wrap('BaseOffenceDetails', base) + el('Plea', o.plea) + el('ModeOfTrial', '01') + el('FinalDisposalIndicator', final ? 'Y' : 'N')
    + el('ConvictionDate', final ? o.convictionDate : null) + el('Finding', finding) + results);
}

/** Every message the court has delivered about a case: one per hearing session up to the reference date. */
function caseMessages(c: CourtCase, d: CourtDefendant, referenceDate: string): Stored[] {
  const [given1, given2, given3] = d.forenames;
  const name = el('PersonTitle', d.title) + el('PersonGivenName1', given1) + el('PersonGivenName2', given2) + el('PersonGivenName3', given3) + el('PersonFamilyName', d.surname.toUpperCase());
  const details = wrap('PersonName', name) + el('Birthdate', d.dateOfBirth) + el('Gender', d.sex === 'M' ? '1' : d.sex === 'F' ? '2' : '0');
  const address = d.address.map((line, i) => el(`AddressLine${i + 1}`, line)).join('');
  const concluded = c.offences.some((o) => o.finding != null);
  const out: Stored[] = [];
  c.hearings.forEach((h, i) => {
    if (h.date > referenceDate) return; // not heard yet: nothing delivered
    const next = c.hearings[i + 1] ?? null;
    const final = concluded && next == null;
    const individual = wrap('PersonDefendant', wrap('BasePersonDetails', details)) + el('BailStatus', final ? 'U' : c.bailStatus)
      + wrap('Address', wrap('SimpleAddress', address)) + el('PresentAtHearing', 'A');
    const defendant = el('ProsecutorReference', c.asn) + wrap('CourtIndividualDefendant', individual) + c.offences.map((o) => renderOffence(o, final, next, c.bailStatus)).join('');
    const session = wrap('CourtHearing', wrap('Hearing', el('CourtHearingLocation', h.courtOu) + el('DateOfHearing', h.date) + el('TimeOfHearing', h.time)))
      + wrap('Case', el('PTIURN', c.urn) + wrap('Defendant', defendant));
    out.push({
      asns: [c.asn], urns: [c.urn], names: [{ key: searchKey(d.surname), birthdate: d.dateOfBirth ?? '' }],
      xml: deliverRequest(`${c.urn}-${i + 1}`, h.date, wrap('Session', session)), firstHearingDate: h.date,
      hearingDates: next ? [h.date, next.date] : [h.date],
    });
  });
  return out;
}

const fileParser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true, trimValues: true, isArray: (name) => ['Session', 'Case', 'Defendant'].includes(name) });

/** A delivered message from a file: its keys read here, with the stand-in's own parser; the text kept as it came. */
function storedFromFile(text: string): Stored | null {
  if (XMLValidator.validate(text) !== true) return null;
  const doc = fileParser.parse(text) as { DeliverRequest?: { Message?: { ResultedCaseMessage?: { Session?: any[] } } } };
  const sessions = doc.DeliverRequest?.Message?.ResultedCaseMessage?.Session;
  if (!sessions) return null;
  const s: Stored = { asns: [], urns: [], names: [], xml: text.replace(/^\s*<\?xml[^>]*\?>\s*/, ''), firstHearingDate: null };
  for (const session of sessions) {
    s.firstHearingDate ??= String(session.CourtHearing?.Hearing?.DateOfHearing ?? '') || null;
    for (const c of session.Case ?? []) {
      s.urns.push(String(c.PTIURN ?? '').toUpperCase());
      for (const d of c.Defendant ?? []) {
        s.asns.push(String(d.ProsecutorReference ?? '').toUpperCase());
        const details = d.CourtIndividualDefendant?.PersonDefendant?.BasePersonDetails;
        s.names.push({ key: searchKey(String(details?.PersonName?.PersonFamilyName ?? '')), birthdate: String(details?.Birthdate ?? '') });
      }
    }
  }
  return s;
}

/** Every message the stand-in holds: the population's, then each *.xml of `dir`. */
export function storedMessages(population: Population, dir?: string): Stored[] {
  const defendants = new Map(population.courts.defendants.map((d) => [d.defendantId, d]));
  const out = population.courts.cases.flatMap((c) => caseMessages(c, defendants.get(c.defendantId)!, population.referenceDate));
  if (dir) {
    for (const f of readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.xml')).sort()) {
      const s = storedFromFile(readFileSync(join(dir, f), 'utf8'));
      if (s) out.push(s);
    }
  }
  return out;
}

/** The delivered messages of a population as files would hold them (with the XML declaration). */
export function populationMessages(population: Population): { xml: string; text: string }[] {
  return storedMessages(population).map((s) => ({ xml: s.xml, text: `<?xml version="1.0" encoding="UTF-8"?>\n${s.xml}` }));
}

const parser = new XMLParser({
  removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true, trimValues: true,
  isArray: (name) => name === 'ProsecutorReference' || name === 'PTIURN',
});

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ClientFault('Request too large');
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The request's arguments; the body element names the operation and the SOAPAction header, when sent, must agree. */
function parseRequest(req: IncomingMessage, text: string): { operation: string; args: Record<string, unknown> } {
  if (XMLValidator.validate(text) !== true) throw new ClientFault('Request is not well-formed XML');
  const body = (parser.parse(text) as { Envelope?: { Body?: Record<string, unknown> } }).Envelope?.Body;
  const element = body ? Object.keys(body)[0] : undefined;
  const operation = [OPERATION, SCAN].find((op) => element === `${op}Request` || element === op);
  if (!body || !element || !operation) throw new ClientFault(`Unknown operation ${element ?? '(none)'}`);
  const action = String(req.headers.soapaction ?? '').replace(/"/g, '').trim();
  if (action !== '' && action.split('/').pop() !== operation) throw new ClientFault('SOAPAction does not match the request body');
  const args = body[element];
  return { operation, args: typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {} };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The reporting scan's page: the cases (by ASN) with a session in [from, to], after `after`, whole. */
function scanPage(byAsn: Map<string, Stored[]>, asns: string[], args: Record<string, unknown>): { found: Stored[]; last: string | null } {
  const from = String(args.DateOfHearingFrom ?? '').trim();
  const to = String(args.DateOfHearingTo ?? '').trim();
  if (!ISO_DATE.test(from) || !ISO_DATE.test(to) || from > to) throw new ClientFault('DateOfHearingFrom and DateOfHearingTo must be dates, from no later than to');
  const size = args.PageSize == null ? MAX_SCAN_PAGE : Number(args.PageSize);
  if (!Number.isInteger(size) || size < 1 || size > MAX_SCAN_PAGE) throw new ClientFault(`PageSize must be 1 to ${MAX_SCAN_PAGE}`);
  const after = String(args.After ?? '').trim().toUpperCase();
  const found: Stored[] = [];
  let cases = 0;
  let lastAsn: string | null = null;
  for (const asn of asns) {
    if (after && asn <= after) continue;
    const messages = byAsn.get(asn) ?? [];
    const dates = messages.flatMap((m) => m.hearingDates ?? (m.firstHearingDate ? [m.firstHearingDate] : []));
    if (!dates.some((d) => d >= from && d <= to)) continue;
    if (cases === size) return { found, last: lastAsn };
    found.push(...messages);
    cases++;
    lastAsn = asn;
  }
  return { found, last: null };
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v == null ? [] : [v]).map((x) => String(x).trim().toUpperCase()).filter((x) => x !== '');

export const startStandIn: StartStandIn = async (options: StandInOptions): Promise<StandIn> => {
  const faults = new FaultControl(options.faultSeed ?? 1);
  const requests = new RequestCounter();
  const messages = storedMessages(options.population, process.env.COURTS_LIBRA_DIR?.trim() || undefined);

  // Indexed once, so every request is a few Map lookups.
  const index = (keys: (s: Stored) => string[]) => {
    const m = new Map<string, Stored[]>();
    for (const s of messages) for (const k of new Set(keys(s))) m.set(k, [...(m.get(k) ?? []), s]);
    return m;
  };
  const byAsn = index((s) => s.asns);
  const byUrn = index((s) => s.urns);
  const bySurname = index((s) => s.names.map((n) => n.key));
  const scanOrder = [...byAsn.keys()].sort();

  function answer(args: Record<string, unknown>): Stored[] {
    const asns = list(args.ProsecutorReference);
    const urns = list(args.PTIURN);
    if (asns.length + urns.length > MAX_KEYS) throw new ClientFault(`At most ${MAX_KEYS} keys per request`);
    if (asns.length || urns.length) return [...new Set([...asns.flatMap((a) => byAsn.get(a) ?? []), ...urns.flatMap((u) => byUrn.get(u) ?? [])])];
    // One name (PersonFamilyName, Birthdate) or several (repeated PersonSearch blocks), answered together.
    const blocks = args.PersonSearch === undefined ? [args] : (Array.isArray(args.PersonSearch) ? args.PersonSearch : [args.PersonSearch]) as Record<string, unknown>[];
    if (blocks.length > MAX_KEYS) throw new ClientFault(`At most ${MAX_KEYS} keys per request`);
    const found = new Set<Stored>();
    for (const b of blocks) {
      const surname = searchKey(String(b?.PersonFamilyName ?? ''));
      const birthdate = String(b?.Birthdate ?? '').trim();
      if (!surname) continue; // an empty request: the health check
      for (const s of bySurname.get(surname) ?? []) if (s.names.some((n) => n.key === surname && (!birthdate || n.birthdate === birthdate))) found.add(s);
    }
    return [...found];
  }

  function send(res: ServerResponse, status: number, body: string, type = 'text/xml; charset=utf-8'): void {
    if (res.destroyed) return; // the client gave up (timeout): nothing to answer
    res.writeHead(status, { 'content-type': type }).end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    if (req.method === 'GET' && url.pathname === LISTING_PATH) return listing(url, res);
    if (req.method !== 'POST' || url.pathname !== PATH) {
      requests.count('Unknown');
      await faults.apply();
      return send(res, 404, 'Not Found', 'text/plain');
    }
    let args: Record<string, unknown> | null = null;
    let operation = OPERATION;
    let clientFault: string | null = null;
    try {
      ({ operation, args } = parseRequest(req, await readBody(req)));
    } catch (err) {
      if (!(err instanceof ClientFault)) throw err;
      clientFault = err.message;
    }
    requests.count(args ? operation : 'Unknown');
    const outcome = await faults.apply();
    if (outcome === 'down') return send(res, 503, 'Service Unavailable', 'text/plain');
    if (outcome === 'error') return send(res, 500, fault('Server', 'Result store internal error: transaction rolled back'));
    if (clientFault || !args) return send(res, 500, fault('Client', clientFault ?? 'Bad request'));
    let found: Stored[];
    let lastOfPage: string | null = null;
    try {
      if (operation === SCAN) ({ found, last: lastOfPage } = scanPage(byAsn, scanOrder, args));
      else found = answer(args);
    } catch (err) {
      if (!(err instanceof ClientFault)) throw err;
      return send(res, 500, fault('Client', err.message));
    }
    const malformed = outcome === 'malformed';
    const docs = found.map((s, i) => (((malformed && i === 0) || s.asns.some((a) => faults.isMalformed(a))) && s.firstHearingDate
      ? s.xml.replace(`<DC:DateOfHearing>${s.firstHearingDate}</DC:DateOfHearing>`, `<DC:DateOfHearing>${impossible(s.firstHearingDate)}</DC:DateOfHearing>`)
      : s.xml));
    const more = operation === SCAN && lastOfPage ? el('LastProsecutorReference', lastOfPage) : '';
    const xml = envelope(`<DC:${operation}Response>${docs.join('')}${more}</DC:${operation}Response>`);
    send(res, 200, malformed && docs.length === 0 ? xml.slice(0, Math.floor(xml.length / 2)) : xml);
  }

  /** The court list: one call answers the whole filter, in sitting order. */
  async function listing(url: URL, res: ServerResponse): Promise<void> {
    requests.count(LISTING_OPERATION);
    const outcome = await faults.apply();
    const json = 'application/json';
    if (outcome === 'down') return send(res, 503, 'Service Unavailable', 'text/plain');
    if (outcome === 'error') return send(res, 500, JSON.stringify({ error: 'Listing service internal error: transaction rolled back' }), json);
    const q = parseListingQuery(url);
    if (!q) return send(res, 400, JSON.stringify({ error: 'Bad request' }), json);
    const hearings = listHearings(options.population, q);
    const body = JSON.stringify({ hearings, totalResults: hearings.length });
    send(res, 200, outcome === 'malformed' ? body.slice(0, Math.floor(body.length / 2)) : body, json);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, fault('Server', 'Result store internal error')));
  });
  const { base, close } = await listen(server, options);
  const location = `${base}${PATH}`;

  return {
    agency: 'courts', location, env: { COURTS_URL: location, COURTS_LISTING_URL: `${base}${LISTING_PATH}` }, faults, requests,
    close,
  };
};

// Stand-in for the magistrates' courts case system (Libra): a SOAP 1.1 service at POST /libra/CaseService
// answering in Libra's own element names (namespace http://www.dca.gov.uk/xmlschemas/libra). Operations,
// dispatched on the body element (the SOAPAction header must agree when sent):
//   GetDefendants        DC:DefendantId*            → DC:Defendant*
//   FindDefendants       DC:PNCIdentifier* (exact text, as keyed: long or short form)
//                        | DC:PersonFamilyName [DC:PersonGivenName1 (initial)] [DC:Birthdate] → DC:Defendant*
//   GetCasesByDefendant  DC:DefendantId*            → DC:Case*
//   GetCases             DC:PTIURN*                 → DC:Case*
// Quirks kept: family names in capitals, PNC ids as keyed, codes in SPI (plea, verdict, remand status) and
// CJS (gender, offence, result, OU, type of hearing), sequence numbers as `001`, addresses as bare lines.
// Faults: down → 503; error → soap:Server fault; malformed → the first record carries an impossible date
// (Birthdate for defendants, DateOfHearing for cases), or truncated XML when there is no record.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../http.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { crossWalk, offenceCodes, resultCodes, standingData } from '../../reference/index.js';
import { FaultControl, RequestCounter, type StandIn, type StandInOptions, type StartStandIn } from '../faults.js';
import type { CourtCase, CourtDefendant, CourtOffence } from '../population.js';

const LIBRA_NS = 'http://www.dca.gov.uk/xmlschemas/libra';
const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const PATH = '/libra/CaseService';
const OPERATIONS = ['GetDefendants', 'FindDefendants', 'GetCasesByDefendant', 'GetCases'] as const;
type Operation = (typeof OPERATIONS)[number];
const MAX_IDS = 500;
const MAX_BODY = 1_000_000;
const HEARING_TYPE_CODES: Record<CourtCase['hearings'][number]['type'], string> = { FIRST_HEARING: 'FH', TRIAL: 'TRIAL', SENTENCE: 'STPSR' };

class ClientFault extends Error {}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const el = (name: string, value: string | number | null | undefined) => (value == null || value === '' ? '' : `<DC:${name}>${esc(String(value))}</DC:${name}>`);
const wrap = (name: string, inner: string) => (inner === '' ? '' : `<DC:${name}>${inner}</DC:${name}>`);
/** A date Libra could never have accepted: 30 February of the same year. */
const impossible = (iso: string | null) => `${(iso ?? '1980').slice(0, 4)}-02-30`;
/** Letters only, upper case: the search key Libra builds from a family name. */
const searchKey = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z]/g, '');

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP_NS}" xmlns:DC="${LIBRA_NS}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}
function fault(code: 'Client' | 'Server', message: string): string {
  return envelope(`<soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${esc(message)}</faultstring></soap:Fault>`);
}

function renderDefendant(d: CourtDefendant, corrupt: boolean): string {
  const [given1, given2, given3] = d.forenames;
  const name = el('PersonTitle', d.title) + el('PersonGivenName1', given1) + el('PersonGivenName2', given2) + el('PersonGivenName3', given3) + el('PersonFamilyName', d.surname.toUpperCase());
  const birthdate = corrupt ? impossible(d.dateOfBirth) : d.dateOfBirth;
  const details = wrap('PersonName', name) + el('Birthdate', birthdate) + el('Gender', d.sex === 'M' ? '1' : d.sex === 'F' ? '2' : '0');
  const address = d.address.map((line, i) => el(`AddressLine${i + 1}`, line)).join('');
  return wrap('Defendant', el('DefendantId', d.defendantId) + el('PNCIdentifier', d.pnc)
    + wrap('CourtIndividualDefendant', wrap('PersonDefendant', wrap('BasePersonDetails', details)) + wrap('Address', wrap('SimpleAddress', address))));
}

function renderOffence(o: CourtOffence): string {
  const wording = o.wording || offenceCodes().get(o.offenceCode)?.title || '';
  const timing = el('OffenceDateCode', '1') + wrap('OffenceStart', el('OffenceDateStartDate', o.offenceDate));
  const base = el('OffenceSequenceNumber', String(o.sequence).padStart(3, '0')) + el('OffenceCode', o.offenceCode) + el('OffenceWording', wording)
    + wrap('OffenceTiming', timing) + el('ChargeDate', o.chargeDate) + el('ArrestDate', o.arrestDate);
  // Population findings are CJS verdict codes; Libra speaks SPI.
  const finding = o.finding ? crossWalk(standingData.verdict(), 'cjsCode', o.finding)?.spiCode ?? o.finding : null;
  const results = o.results.map((r) => wrap('Result', el('ResultCode', r.code) + el('ResultText', r.text || resultCodes().get(r.code)?.description))).join('');
  return wrap('Offence', wrap('BaseOffenceDetails', base) + el('Plea', o.plea) + el('ConvictionDate', o.convictionDate) + el('Finding', finding) + results);
}

function renderCase(c: CourtCase, corrupt: boolean, birthdate: string | null): string {
  const hearings = c.hearings.map((h, i) => wrap('Hearing', el('HearingId', h.hearingId) + el('CourtHearingLocation', h.courtOu)
    + el('DateOfHearing', corrupt && i === 0 ? impossible(h.date) : h.date) + el('TimeOfHearing', h.time) + el('HearingType', HEARING_TYPE_CODES[h.type]))).join('');
  // As in Libra's resulted-case messages, the case carries the defendant's date of birth.
  const individual = wrap('PersonDefendant', wrap('BasePersonDetails', el('Birthdate', birthdate))) + el('BailStatus', c.bailStatus) + el('CustodyTimeLimit', c.custodyTimeLimitExpiry);
  const defendant = el('DefendantId', c.defendantId) + el('ProsecutorReference', c.asn) + wrap('CourtIndividualDefendant', individual) + c.offences.map(renderOffence).join('');
  return wrap('Case', el('PTIURN', c.urn) + el('CourtHearingLocation', c.hearings[0]?.courtOu) + hearings + wrap('Defendant', defendant));
}

const parser = new XMLParser({
  removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true, trimValues: true,
  isArray: (name) => name === 'DefendantId' || name === 'PTIURN' || name === 'PNCIdentifier',
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

/** The operation a request asks for, from its body element; the SOAPAction header, when sent, must agree. */
function parseRequest(req: IncomingMessage, text: string): { operation: Operation; args: Record<string, unknown> } {
  if (XMLValidator.validate(text) !== true) throw new ClientFault('Request is not well-formed XML');
  const body = (parser.parse(text) as { Envelope?: { Body?: Record<string, unknown> } }).Envelope?.Body;
  const element = body ? Object.keys(body)[0] : undefined;
  const operation = OPERATIONS.find((op) => element === `${op}Request` || element === op);
  if (!operation || !body) throw new ClientFault(`Unknown operation ${element ?? '(none)'}`);
  const action = String(req.headers.soapaction ?? '').replace(/"/g, '').trim();
  if (action !== '' && action.split('/').pop() !== operation) throw new ClientFault('SOAPAction does not match the request body');
  const args = body[element!];
  return { operation, args: typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {} };
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v == null ? [] : [v]).map((x) => String(x).trim()).filter((x) => x !== '');

export const startStandIn: StartStandIn = async (options: StandInOptions): Promise<StandIn> => {
  const { population } = options;
  const faults = new FaultControl(options.faultSeed ?? 1);
  const requests = new RequestCounter();

  // Indexed once, so every request is a few Map lookups.
  const defendants = new Map<string, CourtDefendant>();
  const byPnc = new Map<string, CourtDefendant[]>();
  const bySurname = new Map<string, CourtDefendant[]>();
  for (const d of population.courts.defendants) {
    defendants.set(d.defendantId, d);
    if (d.pnc) byPnc.set(d.pnc.toUpperCase(), [...(byPnc.get(d.pnc.toUpperCase()) ?? []), d]);
    const key = searchKey(d.surname);
    bySurname.set(key, [...(bySurname.get(key) ?? []), d]);
  }
  const cases = new Map<string, CourtCase>();
  const casesByDefendant = new Map<string, CourtCase[]>();
  for (const c of population.courts.cases) {
    cases.set(c.urn, c);
    casesByDefendant.set(c.defendantId, [...(casesByDefendant.get(c.defendantId) ?? []), c]);
  }

  function ids(args: Record<string, unknown>, name: string): string[] {
    const values = list(args[name]);
    if (values.length > MAX_IDS) throw new ClientFault(`At most ${MAX_IDS} ${name} per request`);
    return values;
  }

  function answer(operation: Operation, args: Record<string, unknown>): { defendants?: CourtDefendant[]; cases?: CourtCase[] } {
    switch (operation) {
      case 'GetDefendants':
        return { defendants: ids(args, 'DefendantId').map((id) => defendants.get(id)).filter((d): d is CourtDefendant => d != null) };
      case 'FindDefendants': {
        const pncs = ids(args, 'PNCIdentifier');
        if (pncs.length) return { defendants: [...new Set(pncs.flatMap((p) => byPnc.get(p.toUpperCase()) ?? []))] };
        const surname = searchKey(String(args.PersonFamilyName ?? ''));
        if (!surname) throw new ClientFault('FindDefendants needs PNCIdentifier or PersonFamilyName');
        const initial = searchKey(String(args.PersonGivenName1 ?? '')).slice(0, 1);
        const birthdate = String(args.Birthdate ?? '').trim();
        return {
          defendants: (bySurname.get(surname) ?? []).filter((d) =>
            (!initial || searchKey(d.forenames[0] ?? '').startsWith(initial)) && (!birthdate || d.dateOfBirth === birthdate)),
        };
      }
      case 'GetCasesByDefendant':
        return { cases: ids(args, 'DefendantId').flatMap((id) => casesByDefendant.get(id) ?? []) };
      case 'GetCases':
        return { cases: ids(args, 'PTIURN').map((u) => cases.get(u.toUpperCase())).filter((c): c is CourtCase => c != null) };
    }
  }

  function send(res: ServerResponse, status: number, body: string, type = 'text/xml; charset=utf-8'): void {
    if (res.destroyed) return; // the client gave up (timeout): nothing to answer
    res.writeHead(status, { 'content-type': type }).end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    if (req.method !== 'POST' || url.pathname !== PATH) {
      requests.count('Unknown');
      await faults.apply();
      return send(res, 404, 'Not Found', 'text/plain');
    }
    let parsed: { operation: Operation; args: Record<string, unknown> } | null = null;
    let clientFault: string | null = null;
    try {
      parsed = parseRequest(req, await readBody(req));
    } catch (err) {
      if (!(err instanceof ClientFault)) throw err;
      clientFault = err.message;
    }
    requests.count(parsed?.operation ?? 'Unknown');
    const outcome = await faults.apply();
    if (outcome === 'down') return send(res, 503, 'Service Unavailable', 'text/plain');
    if (outcome === 'error') return send(res, 500, fault('Server', 'Case service internal error: transaction rolled back'));
    if (clientFault || !parsed) return send(res, 500, fault('Client', clientFault ?? 'Bad request'));
    let result: ReturnType<typeof answer>;
    try {
      result = answer(parsed.operation, parsed.args);
    } catch (err) {
      if (!(err instanceof ClientFault)) throw err;
      return send(res, 500, fault('Client', err.message));
    }
    const malformed = outcome === 'malformed';
    const records = result.defendants
      ? result.defendants.map((d, i) => renderDefendant(d, (malformed && i === 0) || faults.isMalformed(d.defendantId)))
      : (result.cases ?? []).map((c, i) => renderCase(c, malformed && i === 0, defendants.get(c.defendantId)?.dateOfBirth ?? null));
    const xml = envelope(`<DC:${parsed.operation}Response>${records.join('')}</DC:${parsed.operation}Response>`);
    send(res, 200, malformed && records.length === 0 ? xml.slice(0, Math.floor(xml.length / 2)) : xml);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, fault('Server', 'Case service internal error')));
  });
  const { base, close } = await listen(server, options);
  const location = `${base}${PATH}`;

  return {
    agency: 'courts', location, env: { COURTS_URL: location }, faults, requests,
    close,
  };
};

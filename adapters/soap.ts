// The SOAP 1.1 helper every XML adapter uses: builds envelopes, posts them through the HTTP helper
// (timeouts, sanitised errors), checks the answer is well-formed XML, turns soap:Fault into a typed
// AdapterError and hands back the Body's first element as plain objects.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AdapterError } from './errors.js';
import { httpRequest, statusError } from './http.js';

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an XML element or attribute value. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** `<name>escaped text</name>`; null/undefined gives nothing, so optional elements vanish. */
export function xmlText(name: string, value: string | number | null | undefined): string {
  return value == null ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/** A SOAP 1.1 envelope around `body` (already XML), declaring the given prefix → namespace pairs. */
export function soapEnvelope(body: string, namespaces: Record<string, string> = {}): string {
  const xmlns = Object.entries(namespaces).map(([prefix, uri]) => ` xmlns:${prefix}="${xmlEscape(uri)}"`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP_ENV_NS}"${xmlns}><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

/**
 * A parser for one service's answers. Prefixes are dropped (services disagree on them), every value
 * stays a string (`parseTagValue: false`: "001" must not become 1), and the named elements are always
 * arrays (otherwise one element would come back as an object and two as an array).
 */
export function createSoapParser(repeating: Iterable<string>): XMLParser {
  const arrays = new Set(repeating);
  return new XMLParser({
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreAttributes: true,
    trimValues: true,
    isArray: (tagName) => arrays.has(tagName),
  });
}

export interface SoapFault {
  /** `Client` (the request was wrong) or `Server` (the service failed), prefix removed. */
  code: string;
  message: string;
}

/** The fault in a parsed envelope, or null when the Body holds none. */
export function readFault(envelope: unknown): SoapFault | null {
  const body = (envelope as { Envelope?: { Body?: Record<string, unknown> } })?.Envelope?.Body;
  const fault = body?.Fault as { faultcode?: unknown; faultstring?: unknown } | undefined;
  if (fault == null || typeof fault !== 'object') return null;
  const code = String(fault.faultcode ?? 'Server').replace(/^.*:/, '');
  return { code, message: String(fault.faultstring ?? '') };
}

export interface SoapCall {
  agency: string;
  /** The SOAP operation, e.g. `GetDefendants`: the name in errors, logs and counts. */
  operation: string;
  url: string;
  /** SOAPAction header value; the body's element is what the service really dispatches on. */
  action: string;
  /** The request element (XML) that goes inside soap:Body. */
  body: string;
  namespaces?: Record<string, string>;
  parser: XMLParser;
  /** The attempt's deadline, from the agency's resilience policy. */
  signal?: AbortSignal;
  /** A deadline of its own, for a call made outside a policy. */
  timeoutMs?: number;
}

/**
 * Posts one envelope and returns the Body's content as parsed objects (e.g. `{ GetDefendantsResponse: {...} }`).
 * Throws AdapterError: SOURCE_TIMEOUT / SOURCE_UNAVAILABLE for transport failures and non-fault HTTP errors,
 * SOURCE_UNAVAILABLE for soap:Server and soap:Client faults (the fault text stays in `cause`, it may
 * quote record data), BAD_SOURCE_DATA when the answer is not well-formed XML or holds no Body.
 */
export async function soapRequest(call: SoapCall): Promise<Record<string, unknown>> {
  const { agency, operation } = call;
  const res = await httpRequest({
    agency, operation, url: call.url, method: 'POST', signal: call.signal, timeoutMs: call.timeoutMs,
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${call.action}"`, accept: 'text/xml' },
    body: soapEnvelope(call.body, call.namespaces),
  });
  const isXml = /xml/i.test(res.headers.get('content-type') ?? '') || res.text.trimStart().startsWith('<');
  // SOAP 1.1 faults come with HTTP 500; any other failure status (503 from a proxy, 404) has no envelope to read.
  if (res.status !== 200 && !(res.status === 500 && isXml)) throw statusError(agency, operation, res.status);
  const envelope = parseEnvelope(agency, operation, res.text, call.parser);
  const fault = readFault(envelope);
  if (fault) {
    const rejected = fault.code === 'Client' || fault.code === 'Sender';
    // A Client fault is about the request we sent: not the system failing, so its breaker does not count it.
    throw new AdapterError({
      agency, operation, code: 'SOURCE_UNAVAILABLE', cause: fault, systemFault: !rejected,
      message: rejected ? `${agency} system rejected the request` : undefined, detail: rejected ? 'soap:Client fault' : 'soap:Server fault',
    });
  }
  if (res.status !== 200) throw statusError(agency, operation, res.status);
  const body = (envelope as { Envelope?: { Body?: unknown } }).Envelope?.Body;
  if (body == null || typeof body !== 'object') {
    throw new AdapterError({ agency, operation, code: 'BAD_SOURCE_DATA', message: `${agency} system returned an answer that could not be read`, detail: 'no SOAP body' });
  }
  return body as Record<string, unknown>;
}

/** Validates then parses an envelope; a truncated or broken document is BAD_SOURCE_DATA (the parser alone is lenient). */
export function parseEnvelope(agency: string, operation: string, text: string, parser: XMLParser): unknown {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new AdapterError({ agency, operation, code: 'BAD_SOURCE_DATA', message: `${agency} system returned an answer that could not be read`, detail: 'not well-formed XML', cause: valid.err });
  }
  try {
    return parser.parse(text);
  } catch (err) {
    throw new AdapterError({ agency, operation, code: 'BAD_SOURCE_DATA', message: `${agency} system returned an answer that could not be read`, detail: 'not well-formed XML', cause: err });
  }
}

// The HTTP helper every REST and SOAP adapter uses: a timeout on every call, typed AdapterErrors, and
// nothing from the request (headers, tokens, hostnames) in any error. Uses global fetch, which nock
// intercepts in tests (do not import undici directly: nock cannot see it).
import { injectTraceHeaders, legacyCall } from '../platform/telemetry.js';
import { AdapterError } from './errors.js';

export interface HttpCall {
  agency: string;
  /** A stable operation name for errors, logs and counts, e.g. `GET /api/offenders/{offenderNo}`. */
  operation: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Sends one request and returns status and body text for any HTTP status; throws AdapterError
 * SOURCE_TIMEOUT when the deadline passes and SOURCE_UNAVAILABLE when the connection fails.
 * Status handling is the caller's: REST and SOAP read error bodies differently.
 */
export function httpRequest(call: HttpCall): Promise<HttpResult> {
  // Traced and counted as one call to the agency's system; the trace context goes with it.
  return legacyCall(call.agency, call.operation, () => send(call), (r) => (r.status < 400 ? 'ok' : `HTTP_${Math.floor(r.status / 100)}XX`));
}

async function send(call: HttpCall): Promise<HttpResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), call.timeoutMs);
  const headers: Record<string, string> = { ...call.headers };
  injectTraceHeaders(headers);
  try {
    const res = await fetch(call.url, { method: call.method ?? 'GET', headers, body: call.body, signal: controller.signal });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  } catch (err) {
    const timedOut = controller.signal.aborted;
    throw new AdapterError({ agency: call.agency, operation: call.operation, code: timedOut ? 'SOURCE_TIMEOUT' : 'SOURCE_UNAVAILABLE', cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/** Maps a non-2xx status to the AdapterError a client should see. 404 is NOT_FOUND; 401/403 are SOURCE_AUTH. */
export function statusError(agency: string, operation: string, status: number): AdapterError {
  const code = status === 404 ? 'NOT_FOUND' : status === 401 || status === 403 ? 'SOURCE_AUTH' : status === 504 || status === 408 ? 'SOURCE_TIMEOUT' : 'SOURCE_UNAVAILABLE';
  return new AdapterError({ agency, operation, code, message: code === 'SOURCE_UNAVAILABLE' ? `${agency} system is unavailable (${operation}: HTTP ${status})` : undefined });
}

/** Parses JSON or throws BAD_SOURCE_DATA naming the operation (never echoing the body). */
export function parseJson<T>(agency: string, operation: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new AdapterError({ agency, operation, code: 'BAD_SOURCE_DATA', message: `${agency} system returned a response that is not valid JSON (${operation})`, cause: err });
  }
}

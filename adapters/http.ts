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
  /** The attempt's deadline, from the agency's resilience policy (adapters/resilience.ts). */
  signal?: AbortSignal;
  /** A deadline of its own, for a call made outside a policy (the token fetch inside one shares its signal). */
  timeoutMs?: number;
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
  const signals = [call.signal, call.timeoutMs ? AbortSignal.timeout(call.timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const headers: Record<string, string> = { ...call.headers };
  injectTraceHeaders(headers);
  try {
    const res = await fetch(call.url, { method: call.method ?? 'GET', headers, body: call.body, signal });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  } catch (err) {
    const timedOut = signal?.aborted ?? false;
    throw new AdapterError({ agency: call.agency, operation: call.operation, code: timedOut ? 'SOURCE_TIMEOUT' : 'SOURCE_UNAVAILABLE', detail: timedOut ? 'deadline passed' : 'transport failure', cause: err });
  }
}

/**
 * Maps a non-2xx status to the AdapterError a client should see: 404 is NOT_FOUND; 401/403 SOURCE_AUTH;
 * 408/504 SOURCE_TIMEOUT; the rest SOURCE_UNAVAILABLE. Only 5xx, 408 and 429 are the system's own
 * failures (what its breaker counts); any other 4xx is about the request sent, which a breaker must not
 * count, or one caller's bad request would take the agency away from everyone. The status goes to the log.
 */
export function statusError(agency: string, operation: string, status: number): AdapterError {
  const code = status === 404 ? 'NOT_FOUND' : status === 401 || status === 403 ? 'SOURCE_AUTH' : status === 504 || status === 408 ? 'SOURCE_TIMEOUT' : 'SOURCE_UNAVAILABLE';
  const systemFault = status >= 500 || status === 408 || status === 429;
  return new AdapterError({ agency, operation, code, systemFault, detail: `HTTP ${status}` });
}

/** Parses JSON or throws BAD_SOURCE_DATA naming the operation (never echoing the body). */
export function parseJson<T>(agency: string, operation: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new AdapterError({ agency, operation, code: 'BAD_SOURCE_DATA', message: `${agency} system returned an answer that could not be read`, detail: 'not valid JSON', cause: err });
  }
}

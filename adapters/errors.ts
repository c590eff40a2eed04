// The one error type that leaves an adapter. It names the agency and the operation, carries a code a
// client can branch on, and never carries headers, tokens, hostnames, SQL or record bodies.
import { GraphQLError } from 'graphql';

export type AdapterErrorCode =
  | 'SOURCE_UNAVAILABLE' // the legacy system could not be reached or answered 5xx / a SOAP server fault
  | 'SOURCE_TIMEOUT' // the legacy system did not answer in time
  | 'SOURCE_AUTH' // the legacy system refused our credentials (after one refresh)
  | 'BAD_SOURCE_DATA' // the legacy system answered, but one record could not be mapped faithfully
  | 'NOT_FOUND'; // the record asked for does not exist in that system

export interface AdapterErrorOptions {
  agency: string;
  operation: string;
  code: AdapterErrorCode;
  /** A safe, human sentence: what went wrong, never how (no host, SQL, stack or payload). */
  message?: string;
  /** For BAD_SOURCE_DATA: the id of the record that failed, which is safe to show to its agency. */
  recordId?: string;
  /** Kept for the server log only, never serialised to a client. */
  cause?: unknown;
  /** What happened in legacy terms (operation, path, status), for the server log only. */
  detail?: string;
  /**
   * True when the legacy system itself failed (transport, 5xx, timeout): what its circuit breaker counts
   * and what a read may be retried on. Defaults from the code: SOURCE_UNAVAILABLE and SOURCE_TIMEOUT.
   * Set false for an outcome the caller's request caused (a 4xx, a SOAP Client fault).
   */
  systemFault?: boolean;
}

const defaultMessages: Record<AdapterErrorCode, string> = {
  SOURCE_UNAVAILABLE: 'is unavailable',
  SOURCE_TIMEOUT: 'did not answer in time',
  SOURCE_AUTH: 'refused the service credentials',
  BAD_SOURCE_DATA: 'returned a record that could not be read',
  NOT_FOUND: 'has no such record',
};

/** The message a client may read: the agency and what went wrong, never how. */
export function clientMessage(agency: string, code: AdapterErrorCode, recordId?: string): string {
  return code === 'BAD_SOURCE_DATA' && recordId ? `${agency} record ${recordId} could not be read` : `${agency} system ${defaultMessages[code]}`;
}

export class AdapterError extends GraphQLError {
  readonly agency: string;
  /** The legacy operation (e.g. `GET /api/offenders/{offenderNo}`, `SELECT NOMINALS`): logs and counts only, never a client. */
  readonly operation: string;
  readonly code: AdapterErrorCode;
  readonly systemFault: boolean;
  readonly detail: string | undefined;

  constructor(opts: AdapterErrorOptions) {
    // The operation is not in the message or the extensions: it names the legacy system's internals.
    super(opts.message ?? clientMessage(opts.agency, opts.code, opts.recordId), {
      extensions: { code: opts.code, agency: opts.agency, ...(opts.recordId ? { recordId: opts.recordId } : {}) },
    });
    this.name = 'AdapterError';
    this.agency = opts.agency;
    this.operation = opts.operation;
    this.code = opts.code;
    this.systemFault = opts.systemFault ?? (opts.code === 'SOURCE_UNAVAILABLE' || opts.code === 'SOURCE_TIMEOUT');
    this.detail = opts.detail;
    // `cause` is non-enumerable so that nothing that serialises the error picks it up.
    if (opts.cause !== undefined) Object.defineProperty(this, 'cause', { value: opts.cause, enumerable: false });
  }

  /** What the server log records about this error: everything the client is not told. */
  toLog(): Record<string, unknown> {
    return { agency: this.agency, operation: this.operation, code: this.code, systemFault: this.systemFault, detail: this.detail, cause: (this as { cause?: unknown }).cause };
  }

  /** True when retrying the same read could succeed: the system failed, not the request. */
  get transient(): boolean {
    return this.systemFault;
  }
}

/** Thrown by pure mapping functions; the adapter turns it into BAD_SOURCE_DATA for that record only. */
export class MappingError extends Error {
  constructor(readonly field: string, readonly detail: string) {
    super(`expected ${detail} in ${field}`);
    this.name = 'MappingError';
  }
}

/** Maps one record, turning a MappingError into a BAD_SOURCE_DATA AdapterError naming the record. */
export function mapRecord<W, M>(agency: string, operation: string, recordId: string, wire: W, map: (w: W) => M): M | AdapterError {
  try {
    return map(wire);
  } catch (err) {
    if (err instanceof MappingError) {
      return new AdapterError({
        agency, operation, code: 'BAD_SOURCE_DATA', recordId,
        // The expectation, never the offending value (part of the record's body), and the legacy field
        // name in the log only.
        detail: `expected ${err.detail.replace(/,?\s*got\b[\s\S]*$/, '')} in ${err.field}`,
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * Why a record could not be read, for the owning agency's data-quality report: the expectation and the
 * field (`expected a date in DateOfHearing`), never the value; the code's sentence when there is no detail.
 */
export function unreadableReason(err: AdapterError): string {
  const d = (err as unknown as { detail?: string }).detail;
  return d && /^expected /.test(d) ? d : err.code.toLowerCase().replace(/_/g, ' ');
}

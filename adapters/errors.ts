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
}

const defaultMessages: Record<AdapterErrorCode, string> = {
  SOURCE_UNAVAILABLE: 'is unavailable',
  SOURCE_TIMEOUT: 'did not answer in time',
  SOURCE_AUTH: 'refused the service credentials',
  BAD_SOURCE_DATA: 'returned a record that could not be read',
  NOT_FOUND: 'has no such record',
};

export class AdapterError extends GraphQLError {
  readonly agency: string;
  readonly operation: string;
  readonly code: AdapterErrorCode;

  constructor(opts: AdapterErrorOptions) {
    super(opts.message ?? `${opts.agency} system ${defaultMessages[opts.code]} (${opts.operation})`, {
      extensions: { code: opts.code, agency: opts.agency, operation: opts.operation, ...(opts.recordId ? { recordId: opts.recordId } : {}) },
    });
    this.name = 'AdapterError';
    this.agency = opts.agency;
    this.operation = opts.operation;
    this.code = opts.code;
    // `cause` is non-enumerable so that nothing that serialises the error picks it up.
    if (opts.cause !== undefined) Object.defineProperty(this, 'cause', { value: opts.cause, enumerable: false });
  }

  /** True when retrying the same read could succeed. */
  get transient(): boolean {
    return this.code === 'SOURCE_UNAVAILABLE' || this.code === 'SOURCE_TIMEOUT';
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
        // The expectation, never the offending value: that is part of the record's body.
        message: `${agency} record ${recordId} could not be read: expected ${err.detail.replace(/,?\s*got\b[\s\S]*$/, '')} in ${err.field}`,
        cause: err,
      });
    }
    throw err;
  }
}

// The gateway's last word on errors: client-safe codes keep their message; everything else, including
// any subgraph text the gateway would otherwise pass through (SQL, host:port, stack traces), is replaced.
// Errors about an agency's system (unavailable, slow, refused credentials, an unreadable record, no
// such record) get a fixed sentence per code naming the agency: the subgraph's own text names legacy
// operations, upstream paths and statuses (`POST /attribute-search: HTTP 503`), which go to the log only.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { CLIENT_SAFE_CODES, CLIENT_SAFE_EXTENSIONS } from '../platform/errors.js';
import type { Logger } from '../platform/log.js';

/** The one sentence a client reads for each error about an agency's system. */
const SOURCE_MESSAGES: Record<string, (agency: string | undefined) => string> = {
  SOURCE_UNAVAILABLE: (a) => (a ? `The ${a} system is unavailable` : 'A source system is unavailable'),
  SOURCE_TIMEOUT: (a) => (a ? `The ${a} system did not answer in time` : 'A source system did not answer in time'),
  SOURCE_AUTH: (a) => (a ? `The ${a} system refused this service's credentials` : "A source system refused this service's credentials"),
  BAD_SOURCE_DATA: (a) => (a ? `A ${a} record could not be read faithfully` : 'A record could not be read faithfully'),
  NOT_FOUND: (a) => (a ? `The ${a} system has no such record` : 'No such record'),
};

/** Extensions that stay in the log: the legacy operation an adapter was running. */
const LOG_ONLY_EXTENSIONS = new Set(['http', 'operation']);

export function formatGatewayError(log: Logger) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const ext = formatted.extensions ?? {};
    const code = typeof ext.code === 'string' ? ext.code : undefined;
    const agency = typeof ext.agency === 'string' ? ext.agency : typeof ext.serviceName === 'string' ? ext.serviceName : undefined;
    if (code && CLIENT_SAFE_CODES.has(code)) {
      const extensions: Record<string, unknown> = Object.fromEntries(Object.entries(ext).filter(([k]) => CLIENT_SAFE_EXTENSIONS.includes(k) && !LOG_ONLY_EXTENSIONS.has(k)));
      if (agency) extensions.agency = agency;
      const fixed = SOURCE_MESSAGES[code];
      if (fixed) {
        const message = fixed(agency);
        if (message !== formatted.message) log.warn({ code, agency, operation: ext.operation, path: formatted.path, detail: formatted.message }, 'source error: detail kept from the client');
        return { message, path: formatted.path, locations: formatted.locations, extensions };
      }
      return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions };
    }
    log.error({ code, agency, path: formatted.path, message: formatted.message }, 'masked an error before it reached the client');
    return {
      message: agency ? `Internal error in the ${agency} service` : 'Internal error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(agency ? { agency } : {}) },
    };
  };
}

/**
 * One withheld-field error per field path per request, not one per list item: a list of 200 cases
 * with a withheld field says so once, with `count` and the path without list indices in `field`.
 */
export const redactionSummaryPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
        const seen = new Map<string, GraphQLFormattedError & { extensions: Record<string, unknown> }>();
        const out: GraphQLFormattedError[] = [];
        for (const e of response.body.singleResult.errors) {
          if (e.extensions?.code !== 'FORBIDDEN' || !e.path) { out.push(e); continue; }
          const path = e.path.filter((p) => typeof p === 'string').join('.');
          const key = `${String(e.extensions.reason)}|${path}`;
          const first = seen.get(key);
          if (first) { first.extensions.count = Number(first.extensions.count) + 1; continue; }
          const summary = { ...e, extensions: { ...e.extensions, path, count: 1 } };
          seen.set(key, summary);
          out.push(summary);
        }
        response.body.singleResult.errors = out;
      },
    };
  },
};

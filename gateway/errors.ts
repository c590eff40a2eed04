// The gateway's last word on errors: client-safe codes keep their message; everything else, including
// any subgraph text the gateway would otherwise pass through (SQL, host:port, stack traces), is replaced.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { CLIENT_SAFE_CODES, CLIENT_SAFE_EXTENSIONS } from '../platform/errors.js';
import type { Logger } from '../platform/log.js';

export function formatGatewayError(log: Logger) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const ext = formatted.extensions ?? {};
    const code = typeof ext.code === 'string' ? ext.code : undefined;
    const agency = typeof ext.agency === 'string' ? ext.agency : typeof ext.serviceName === 'string' ? ext.serviceName : undefined;
    if (code && CLIENT_SAFE_CODES.has(code)) {
      const extensions: Record<string, unknown> = Object.fromEntries(Object.entries(ext).filter(([k]) => CLIENT_SAFE_EXTENSIONS.includes(k) && k !== 'http'));
      if (agency) extensions.agency = agency;
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

// Handling caveats travel with the response: the declared purpose, the agreements that released data,
// the protective marking and the storage and retention guidance, in `extensions.handling` (for the
// frontend to show beside the data) and in headers a proxy or a browser extension can act on. Computed
// from the same disclosure report the audit records, so what the caller is told and what is audited
// cannot differ. An answer that released nothing carries no handling.
import type { ApolloServerPlugin } from '@apollo/server';
import { AGREEMENTS } from '../schema/policy/index.js';
import { handlingFor } from '../schema/policy/handling.js';
import type { GatewayContext } from './context.js';

export const HANDLING_EXTENSION = 'handling';
export const MARKING_HEADER = 'x-protective-marking';
export const STORAGE_HEADER = 'x-handling-storage';

export const handlingPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single' || !contextValue?.caller) return;
        const released = (contextValue.disclosures ?? []).filter((d) => d.decision === 'DISCLOSED');
        if (!released.length || response.body.singleResult.data == null) return;
        const ids = [...new Set(released.map((d) => d.agreement).filter((a): a is string => !!a))].sort();
        const h = handlingFor(ids);
        const result = response.body.singleResult;
        result.extensions = {
          ...result.extensions,
          [HANDLING_EXTENSION]: {
            purpose: contextValue.caller.purpose,
            agreements: ids.map((id) => ({ id, name: (AGREEMENTS as Record<string, { name: string; basis: string }>)[id]?.name ?? id, basis: (AGREEMENTS as Record<string, { basis: string }>)[id]?.basis ?? null })),
            marking: h.marking,
            storage: h.storage,
            retention: h.notes,
          },
        };
        response.http.headers.set(MARKING_HEADER, h.marking);
        response.http.headers.set(STORAGE_HEADER, h.storage);
      },
    };
  },
};

// One audit record per request, written before the response leaves: who asked, why, what the query
// was (hashes, not text), which subjects it touched and which fields each agency disclosed or withheld
// under which rule and agreement. No field values. If the record cannot be written durably, the
// response is replaced by AUDIT_UNAVAILABLE: nothing is disclosed without a record.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { CallerClaims } from '../auth/assertion.js';
import { hashVariables, sha256Hex, type AuditRecordInput } from '../audit/record.js';
import type { Logger } from '../platform/log.js';
import type { DisclosureEntry } from '../subgraphs/disclosures.js';
import type { GatewayContext } from './context.js';
import { auditAppendDuration, auditAppendFailures, currentTraceId, graphqlDuration, graphqlRequests, operationLabel, withheldFields } from '../platform/telemetry.js';

/** The audit record as the gateway assembles it: the audit module's own input type. */
export type AuditInput = AuditRecordInput;

export interface AuditSink {
  append(input: AuditInput): Promise<unknown>;
}

const SUBJECT_KINDS: Record<string, { agency: string; type: string }> = {
  case: { agency: 'courts', type: 'CASE' },
  victim: { agency: 'victims', type: 'VICTIM' },
  value: { agency: 'query', type: 'IDENTIFIER' },
  id: { agency: 'query', type: 'PERSON_KEY' },
  urn: { agency: 'query', type: 'CASE' },
  surname: { agency: 'query', type: 'SEARCH' },
};

function subjectsOf(entries: DisclosureEntry[]): AuditInput['subjects'] {
  const out = new Map<string, AuditInput['subjects'][number]>();
  for (const e of entries) {
    for (const sid of e.subjectIds) {
      const i = sid.indexOf('=');
      const kind = sid.slice(0, i);
      const id = sid.slice(i + 1);
      const known = SUBJECT_KINDS[kind] ?? { agency: kind, type: 'PERSON' };
      out.set(sid, { ...known, id: sid }); // agency-qualified, so police=400000 never matches another agency's 400000
    }
  }
  return [...out.values()].sort((a, b) => `${a.agency}${a.id}`.localeCompare(`${b.agency}${b.id}`));
}

/** Entries from several subgraph calls for the same coordinate and decision become one, with all their subjects. */
function merge(entries: DisclosureEntry[], decision: DisclosureEntry['decision']): AuditInput['disclosed'] {
  const out = new Map<string, Omit<DisclosureEntry, 'decision'>>();
  for (const { decision: d, ...e } of entries) {
    if (d !== decision) continue;
    const key = `${e.agency}|${e.coordinate}|${e.rule}|${e.reason ?? ''}`;
    const prev = out.get(key);
    out.set(key, prev ? { ...prev, subjectIds: [...new Set([...prev.subjectIds, ...e.subjectIds])].sort() } : { ...e, subjectIds: [...e.subjectIds].sort() });
  }
  return [...out.values()].sort((a, b) => `${a.agency}${a.coordinate}`.localeCompare(`${b.agency}${b.coordinate}`));
}

function outcomeOf(data: unknown, errors: readonly GraphQLFormattedError[] | undefined): AuditInput['outcome'] {
  if (!errors?.length) return 'SUCCESS';
  const hasData = data != null && Object.values(data as Record<string, unknown>).some((v) => v != null);
  if (hasData) return 'PARTIAL';
  return errors.every((e) => e.extensions?.code === 'FORBIDDEN' || e.extensions?.code === 'PURPOSE_NOT_PERMITTED') ? 'DENIED' : 'ERROR';
}

export function auditRecord(caller: CallerClaims, request: { query?: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  disclosures: DisclosureEntry[], outcome: AuditInput['outcome'], policyVersion: string,
  extra: { refusal?: AuditInput['refusal']; clientRequestId?: string | null } = {}): AuditInput {
  const traceId = currentTraceId();
  return {
    ...(extra.refusal ? { refusal: extra.refusal } : {}),
    ...(traceId ? { traceId } : {}),
    ...(extra.clientRequestId ? { clientRequestId: extra.clientRequestId } : {}),
    time: new Date().toISOString(),
    requestId: caller.requestId,
    caller: { subject: caller.subject, agency: caller.agency, roles: caller.roles },
    purpose: caller.purpose,
    justification: caller.justification,
    operationName: request.operationName ?? null,
    documentHash: sha256Hex(request.query ?? ''),
    variablesHash: hashVariables(request.variables ?? {}),
    subjects: subjectsOf(disclosures),
    disclosed: merge(disclosures, 'DISCLOSED'),
    withheld: merge(disclosures, 'WITHHELD'),
    outcome,
    policyVersion,
  };
}

export const auditUnavailable = {
  message: 'The audit trail is unavailable, so nothing can be disclosed. Try again shortly.',
  extensions: { code: 'AUDIT_UNAVAILABLE' },
};

/** Requests and their latency by operation and outcome, for /metrics. */
export const requestMetricsPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    const stop = graphqlDuration.startTimer();
    return {
      async willSendResponse({ response, operationName, request }) {
        const result = response.body.kind === 'single' ? response.body.singleResult : null;
        const outcome = result ? outcomeOf(result.data, result.errors) : 'SUCCESS';
        const labels = { operation: operationLabel(operationName ?? request.operationName), outcome };
        graphqlRequests.inc(labels);
        stop(labels);
      },
    };
  },
};

export function auditPlugin(sink: AuditSink, policyVersion: string, log: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, contextValue, operationName }) {
          if (!contextValue?.caller || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // The operation actually run (from the document when the client did not name it).
          const op = { ...request, operationName: operationName ?? request.operationName ?? null };
          const input = auditRecord(contextValue.caller, op, contextValue.disclosures ?? [], outcomeOf(result.data, result.errors), policyVersion, { clientRequestId: contextValue.clientRequestId });
          for (const w of input.withheld) withheldFields.inc({ agency: w.agency, reason: w.reason ?? 'UNKNOWN' }, Math.max(1, w.subjectIds.length));
          const stop = auditAppendDuration.startTimer();
          try {
            await sink.append(input);
            stop();
          } catch (err) {
            auditAppendFailures.inc();
            // Fail closed: the data was fetched but is not sent.
            log.error({ err: (err as Error).message, requestId: input.requestId }, 'audit record could not be written; response withheld');
            response.body.singleResult = { errors: [auditUnavailable] };
            response.http.status = 503;
          }
        },
      };
    },
  };
}

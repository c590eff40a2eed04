// audit: auditors read the disclosure audit trail through the graph. The store is the one the gateway
// writes (read-only here); person look-ups ask the identity subgraph (its internal `_linkedRecords`,
// signed as the audit service) so any identifier finds every agency record of the person.
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import { loadAuditConfig, openAuditStore, type AuditStore, type StoredAuditRecord } from '../../audit/index.js';
import type { IdentifierType } from '../../schema/model.js';
import { normaliseInput } from '../identity/resolvers.js';
import { callInternal, claimsOf, serviceSigner, subgraphUrl, type ServiceSigner } from '../internal.js';
import type { Env, SubgraphContext, SubgraphModule } from '../types.js';

export interface AuditClient {
  store: AuditStore;
  /** Where the identity subgraph answers, and the audit service's own key to ask it with. */
  identity: { url: string; signer: ServiceSigner; timeoutMs: number };
  close(): Promise<void>;
}

/** The audit subgraph's client; the stack passes the gateway's own store. The identity subgraph is asked at `IDENTITY_SUBGRAPH_URL`. */
export async function createAuditClient(env: Env, existing: { store?: AuditStore; identityUrl?: string; signer?: ServiceSigner } = {}): Promise<AuditClient> {
  const identity = { url: existing.identityUrl ?? subgraphUrl('identity', env), signer: existing.signer ?? (await serviceSigner(env, 'audit')), timeoutMs: 10_000 };
  const store = existing.store ?? (await openOwnStore(env));
  return {
    store, identity,
    close: async () => {
      if (!existing.store) await store.close();
    },
  };
}

/**
 * The store of a subgraph running in its own process: the PostgreSQL store the gateways write. The embedded
 * file store is refused here: the auditor would read a folder of its own (its working directory's
 * `.data/audit` when the gateways were given AUDIT_DATABASE_URL and it was not), or at best a snapshot
 * taken at its start, and report that nobody accessed anyone. Only the in-process stack shares its file store.
 */
async function openOwnStore(env: Env): Promise<AuditStore> {
  const config = await loadAuditConfig(env, { verifyOnly: true });
  if (!config.databaseUrl) {
    throw new Error('the audit subgraph in its own process reads the PostgreSQL audit store the gateways write: set AUDIT_DATABASE_URL (the reader role, see npm run audit:migrate) and AUDIT_DB_SCHEMA as the gateways have them');
  }
  return openAuditStore(config, { readOnly: true });
}

type Ctx = SubgraphContext<{ client: AuditClient }>;
const MAX_PAGE = 200;

function page(args: { first?: number | null; after?: string | null }): { limit: number; after?: number } {
  const limit = args.first ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new GraphQLError(`first must be from 1 to ${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT' } });
  if (args.after != null && !/^\d{1,15}$/.test(args.after)) throw new GraphQLError('after must be a cursor from a previous page', { extensions: { code: 'BAD_USER_INPUT' } });
  return { limit, after: args.after != null ? Number(args.after) : undefined };
}

const shape = (r: StoredAuditRecord) => ({ ...r, justification: r.justification ?? null, operationName: r.operationName ?? null });

const resolvers = {
  Query: {
    async auditAccessToPerson(_: unknown, args: { type: IdentifierType; value: string; first?: number; after?: string }, ctx: Ctx) {
      const p = page(args);
      const id = normaliseInput(args.type, args.value);
      const linked = await callInternal<{ agency: string; localId: string }[]>({
        ...ctx.loaders.client.identity, subgraph: 'identity', caller: claimsOf(ctx.caller, ctx.requestId), deadline: ctx.deadline ?? null,
        query: 'query Linked($type: IdentifierType!, $value: String!) { _linkedRecords(type: $type, value: $value) { agency localId } }', variables: { type: id.type, value: id.value },
      }, '_linkedRecords');
      // Every agency record of the person, and the identifier itself as typed into a look-up.
      const subjectIds = [...new Set([...linked.map((r) => `${r.agency}=${r.localId}`), `value=${id.value}`])];
      const seen = new Map<number, StoredAuditRecord>();
      for (const subjectId of subjectIds) {
        let after = p.after;
        // Walk each subject's records just far enough to fill one merged page.
        for (;;) {
          const res = await ctx.loaders.client.store.query({ subjectId }, { after, limit: p.limit });
          res.records.forEach((r) => seen.set(r.seq, r));
          if (res.nextCursor == null || res.records.length === 0 || seen.size > p.limit * subjectIds.length) break;
          after = res.nextCursor;
          if (res.records.length >= p.limit) break;
        }
      }
      const records = [...seen.values()].sort((a, b) => a.seq - b.seq).slice(0, p.limit);
      const more = seen.size > records.length;
      return { records: records.map(shape), nextCursor: more && records.length ? String(records[records.length - 1].seq) : null };
    },
    async auditActivityOfUser(_: unknown, args: { subject: string; from: string; to: string; first?: number; after?: string }, ctx: Ctx) {
      if (Date.parse(args.to) <= Date.parse(args.from)) throw new GraphQLError('to must be after from', { extensions: { code: 'BAD_USER_INPUT' } });
      const res = await ctx.loaders.client.store.query({ callerSubject: args.subject, from: new Date(args.from).toISOString(), to: new Date(args.to).toISOString() }, page(args));
      return { records: res.records.map(shape), nextCursor: res.nextCursor == null ? null : String(res.nextCursor) };
    },
    async auditDisclosuresUnderAgreement(_: unknown, args: { agreement: string; first?: number; after?: string }, ctx: Ctx) {
      const res = await ctx.loaders.client.store.query({ agreement: args.agreement }, page(args));
      return { records: res.records.map(shape), nextCursor: res.nextCursor == null ? null : String(res.nextCursor) };
    },
  },
};

const audit: SubgraphModule<AuditClient, { client: AuditClient }> = {
  name: 'audit',
  agency: null,
  description: 'The disclosure audit trail, for auditors: who accessed whom, what a user saw, what an agreement disclosed',
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
  resolvers: resolvers as never,
  createClient: (env) => createAuditClient(env),
  createLoaders: (client) => ({ client }),
  close: (client) => client.close(),
};

export default audit;

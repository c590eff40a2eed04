// Turns a SubgraphModule into a running, protected subgraph: common SDL prepended, shared scalars
// wired, graphql-shield applied deny-by-default, a policy coverage check, and an HTTP server that
// refuses every request without a valid gateway caller assertion.
import { readFileSync } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, Kind, parse, type GraphQLSchema, type ValidationRule } from 'graphql';
import { applyMiddleware, type IMiddlewareTypeMap } from 'graphql-middleware';
import { deny, shield } from 'graphql-shield';
import type { CryptoKey } from 'jose';
import { ASSERTION_HEADER, AssertionError, verifyAssertion } from '../auth/assertion.js';
import { DEADLINE_HEADER } from '../platform/deadline.js';
import { CLIENT_SAFE_CODES, CLIENT_SAFE_EXTENSIONS } from '../platform/errors.js';
import { AdapterError, clientMessage } from '../adapters/errors.js';
import { serveApollo } from '../platform/http.js';
import { createLogger, type Logger } from '../platform/log.js';
import { scalarResolvers } from '../schema/scalars.js';
import { REGISTRY_AGENCY_SDL } from './agencies.js';
import { compilePolicy } from './policy.js';
import { DISCLOSURES_EXTENSION, DISCLOSURES_HEADER, DISCLOSURES_IN_BODY, encodeDisclosures, RequestDisclosures } from './disclosures.js';
import type { SubgraphPolicy } from '../schema/policy/index.js';
import type { Caller, FederationLinkOptions, SubgraphContext, SubgraphModule } from './types.js';

/** The federation version every subgraph links unless its module declares another. */
export const DEFAULT_FEDERATION_VERSION = '2.7';
/** What every subgraph imports by name; a module's `federation.imports` add to these. */
export const DEFAULT_FEDERATION_IMPORTS: readonly string[] = ['@key', '@shareable', '@external', '@requires', '@provides', '@inaccessible'];

/**
 * The `@link` to the federation spec: the version and the directives written without a prefix. The
 * defaults keep every existing schema working; a module asks for more (`@tag`, `@override`,
 * `@interfaceObject`, `@composeDirective`, ...) in its `federation` options.
 */
export function federationLink(opts: FederationLinkOptions = {}): string {
  const version = opts.version ?? DEFAULT_FEDERATION_VERSION;
  if (!/^2\.\d+$/.test(version)) throw new Error(`federation version must read 2.<minor>, got "${version}"`);
  const imports = [...new Set([...DEFAULT_FEDERATION_IMPORTS, ...(opts.imports ?? [])])];
  for (const i of imports) if (!/^@[A-Za-z_][A-Za-z0-9_]*$/.test(i)) throw new Error(`federation import must name a directive (@name), got "${i}"`);
  return `extend schema @link(url: "https://specs.apollo.dev/federation/v${version}", import: [${imports.map((i) => JSON.stringify(i)).join(', ')}])`;
}

/** Today's link (the defaults), for code that only needs the common one. */
export const FEDERATION_LINK = federationLink();

const COMMON_SDL = readFileSync(new URL('../schema/common.graphql', import.meta.url), 'utf8');

/** The full SDL of a subgraph: federation link, the shared common model (with the registry's Agency enum), then the agency's own types. */
export function subgraphSdl(module: Pick<SubgraphModule, 'typeDefs'> & { federation?: FederationLinkOptions }, federation: FederationLinkOptions | undefined = module.federation): string {
  return `${federationLink(federation)}\n\n${COMMON_SDL}\n${REGISTRY_AGENCY_SDL}\n${module.typeDefs}`;
}

/** How the builder makes a subgraph schema; every option defaults to what the module declares, then to today's behaviour. */
export interface BuildOptions {
  /** The federation link (version, imports); default the module's `federation`, else v2.7 with the common imports. */
  federation?: FederationLinkOptions;
  /** The disclosure policy: a table to use instead of the subgraph's own (tests), or false for none (bench, matrix). */
  policy?: SubgraphPolicy | false;
}

/** The subgraph schema with no policy at all: never served, only measured against (bench) and rendered (matrix). */
export function buildUnprotectedSchema(module: Pick<SubgraphModule, 'typeDefs' | 'resolvers'> & { federation?: FederationLinkOptions }, federation?: FederationLinkOptions): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: parse(subgraphSdl(module, federation ?? module.federation)), resolvers: { ...scalarResolvers, ...module.resolvers } as never }]);
}

/**
 * The builder: the module's schema under its federation link, with its disclosure policy applied unless
 * `policy: false`. Throws a PolicyError naming every field without a usable policy entry.
 */
export function buildSubgraph(module: SubgraphModule, opts: BuildOptions = {}): GraphQLSchema {
  if (opts.policy === false) return buildUnprotectedSchema(module, opts.federation);
  return buildProtectedSchema(module, opts.policy, opts.federation);
}

/**
 * Builds the subgraph schema with the compiled disclosure policy applied; throws a PolicyError naming
 * every field without a usable policy entry. `policy` replaces the subgraph's table (tests only).
 */
export function buildProtectedSchema(module: SubgraphModule, policy?: SubgraphPolicy, federation?: FederationLinkOptions): GraphQLSchema {
  const schema = buildUnprotectedSchema(module, federation);
  const policyRules = compilePolicy(module.name, schema, module.policyFacts, policy);
  const shielded = shield(policyRules.rules, {
    // Deny by default: a field the policy does not name is never disclosed.
    fallbackRule: deny,
    fallbackError: () => new GraphQLError('Withheld: no policy entry', { extensions: { code: 'FORBIDDEN', reason: 'NOT_PERMITTED' } }),
    // Resolver errors (an agency outage) pass through as themselves; without this they would read as FORBIDDEN.
    allowExternalErrors: true,
    debug: false,
  }).generate(schema) as IMiddlewareTypeMap;
  // Shield's middleware covers every field; the policy takes out only the fields it proved need no decision.
  // Once a request knows a decision, the field resolves without the middleware around it (policy.ts shortcut).
  return policyRules.shortcut(applyMiddleware(schema, policyRules.guard(shielded)), schema);
}

/** Keeps client-safe errors, masks the rest and logs them here, where the detail belongs. */
export function formatSubgraphError(name: string, log: Logger) {
  return (formatted: import('graphql').GraphQLFormattedError, error: unknown) => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code as string | undefined;
    if (code && CLIENT_SAFE_CODES.has(code)) {
      // The legacy operation is for the log only (AdapterError no longer puts it in its extensions).
      const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([k]) => CLIENT_SAFE_EXTENSIONS.includes(k) && k !== 'operation'));
      if (original instanceof AdapterError) {
        log.info({ event: 'subgraph.adapter_error', path: formatted.path, ...original.toLog() }, `${original.agency} ${original.code}`);
        // A message that repeats the legacy operation or its detail (a path, a status) is replaced by the plain one.
        const leaks = [original.operation, original.detail].some((t) => t && t.length > 2 && formatted.message.includes(t));
        if (leaks) return { ...formatted, message: clientMessage(original.agency, original.code, extensions.recordId as string | undefined), extensions };
      }
      return { ...formatted, extensions };
    }
    log.error({ err: original, path: formatted.path }, 'unexpected error in resolver');
    return { message: `Internal error in the ${name} subgraph`, path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR', agency: name } };
  };
}

/**
 * Hands the request's disclosure decisions to the gateway, which writes the audit record, in an HTTP
 * response header (compact, deflated, base64url): the body stays exactly what a conformant subgraph
 * returns. A report too large for a header (thousands of subjects) goes in the body's extensions
 * instead, and the header says so; the gateway's data source takes it out either way.
 */
const disclosureReportPlugin: ApolloServerPlugin<SubgraphContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single' || !contextValue.disclosures) return;
        const report = (contextValue.disclosures as RequestDisclosures).toJSON();
        const encoded = encodeDisclosures(report);
        if (encoded !== null) { response.http.headers.set(DISCLOSURES_HEADER, encoded); return; }
        response.http.headers.set(DISCLOSURES_HEADER, DISCLOSURES_IN_BODY);
        const r = response.body.singleResult;
        r.extensions = { ...(r.extensions ?? {}), [DISCLOSURES_EXTENSION]: report };
      },
    };
  },
};

/**
 * Representations one `_entities` call may resolve. The gateway sends one per entity in a plan wave (a
 * list of 100 people with their cases stays far below); 20,000 in one call would be 20,000 legacy
 * lookups from a single request.
 */
export const DEFAULT_MAX_REPRESENTATIONS = 2000;

const tooManyRepresentations = (n: number, max: number) =>
  new GraphQLError(`_entities was sent ${n} representations; this subgraph resolves at most ${max} per request`, { extensions: { code: 'TOO_MANY_REPRESENTATIONS', limit: 'maxRepresentations', http: { status: 400 } } });

/** The same cap for representations written into the document itself rather than sent as variables. */
const representationsRule = (max: number): ValidationRule => (ctx) => ({
  Field(node) {
    if (node.name.value !== '_entities') return;
    for (const a of node.arguments ?? []) if (a.value.kind === Kind.LIST && a.value.values.length > max) ctx.reportError(tooManyRepresentations(a.value.values.length, max));
  },
});

export interface SubgraphServerOptions<Client> {
  client: Client;
  /** Cap on `_entities` representations per request (default DEFAULT_MAX_REPRESENTATIONS). */
  maxRepresentations?: number;
  /** The gateway's public key for caller assertions. */
  assertionKey: CryptoKey;
  /** false serves without the disclosure policy, to measure what it costs (npm run bench); refused in production. */
  policy?: false;
  /** The federation link; default the module's own `federation` options, else v2.7 with the common imports. */
  federation?: FederationLinkOptions;
  /**
   * Federated tracing: when the gateway asks (`apollo-federation-include-trace: ftv1`) the answer
   * carries the trace in `extensions.ftv1`, error messages masked. Default the module's
   * `federation.tracing`, else on; never sent unless asked.
   */
  tracing?: boolean;
  /** Public keys of the services that may call internal fields (identity, audit), by service name. */
  serviceKeys?: Record<string, CryptoKey>;
  host?: string;
  port?: number;
  log?: Logger;
}

/** Never trust a caller's deadline further out than this: a bad header must not hold work open for long. */
const MAX_DEADLINE_MS = 120_000;

/** The request deadline the caller propagated (epoch ms), or null when none (or a malformed one) was sent. */
function readDeadline(raw: string | string[] | undefined): number | null {
  const v = Number(Array.isArray(raw) ? raw[0] : raw);
  if (!Number.isFinite(v) || v <= 0) return null;
  return Math.min(v, Date.now() + MAX_DEADLINE_MS);
}

export interface RunningSubgraph {
  name: string;
  url: string;
  /** The HTTP server, for a graceful drain (platform/shutdown.ts). */
  server: import('node:http').Server;
  close(): Promise<void>;
}

export async function startSubgraph<Client>(module: SubgraphModule<Client>, opts: SubgraphServerOptions<Client>): Promise<RunningSubgraph> {
  const log = opts.log ?? createLogger(`subgraph:${module.name}`);
  // Without the policy every field is disclosed to every caller: a benchmark baseline, never a deployment.
  if (opts.policy === false && process.env.NODE_ENV === 'production') throw new Error(`subgraph ${module.name}: refusing to run without the disclosure policy in production`);
  const federation = opts.federation ?? module.federation;
  const schema = buildSubgraph(module, { policy: opts.policy === false ? false : undefined, federation });
  const tracing = opts.tracing ?? federation?.tracing ?? true;
  const maxRepresentations = opts.maxRepresentations ?? DEFAULT_MAX_REPRESENTATIONS;
  const server = new ApolloServer<SubgraphContext>({
    schema,
    introspection: false,
    validationRules: [representationsRule(maxRepresentations)],
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    formatError: formatSubgraphError(module.name, log),
    // Inline traces only when the gateway asks for them, with error messages masked (they stay in this log).
    plugins: [disclosureReportPlugin, tracing ? ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }) : ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false, // the process that runs the subgraph owns shutdown
  });
  await server.start();
  const served = await serveApollo(server, {
    host: opts.host,
    port: opts.port,
    routes: {
      // Unauthenticated on purpose: it says only whether the legacy system answers, never what it holds.
      '/health': async () => {
        try {
          await module.health?.(opts.client);
          return { status: 200, body: { subgraph: module.name, status: 'UP' } };
        } catch (err) {
          return { status: 503, body: { subgraph: module.name, status: 'DOWN', code: (err as { code?: string }).code ?? 'SOURCE_UNAVAILABLE' } };
        }
      },
    },
    context: async (req, { body }) => {
      const header = req.headers[ASSERTION_HEADER];
      const sent = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as { query?: unknown; variables?: unknown };
      const variables = sent.variables && typeof sent.variables === 'object' ? sent.variables as Record<string, unknown> : null;
      // Counted before anything else (even the signature): refusing is cheap, resolving is not.
      const reps = variables?.representations;
      if (Array.isArray(reps) && reps.length > maxRepresentations) throw tooManyRepresentations(reps.length, maxRepresentations);
      try {
        const claims = await verifyAssertion({ ...opts.serviceKeys, gateway: opts.assertionKey }, module.name, Array.isArray(header) ? header[0] : header,
          typeof sent.query === 'string' ? { query: sent.query, variables } : null);
        const caller: Caller = {
          subject: claims.subject, agency: claims.agency, roles: claims.roles, purpose: claims.purpose, justification: claims.justification,
          staffCode: claims.staffCode, relationships: claims.relationships, actor: claims.actor ?? null,
        };
        const deadline = readDeadline(req.headers[DEADLINE_HEADER]);
        return {
          caller, requestId: claims.requestId, deadline, loaders: module.createLoaders(opts.client, claims.requestId, { caller, deadline }), log: log.child({ requestId: claims.requestId }),
          disclosures: new RequestDisclosures(),
        };
      } catch (err) {
        if (!(err instanceof AssertionError)) throw err;
        log.warn({ reason: err.message }, 'refused a request without a valid gateway assertion');
        throw new GraphQLError('This subgraph only answers the gateway', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      }
    },
  });
  return { name: module.name, url: served.url, server: served.server, close: async () => { await served.close(); await server.stop(); } };
}

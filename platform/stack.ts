// The whole system in one process: stand-in legacy systems (the embedded default world), one adapter
// client per agency (held by that agency's subgraph alone), every subgraph on its own port, and the
// gateway in front. Identity, audit and the gateway reach agencies through the subgraphs' URLs. `npm start`, the
// integration tests and the benchmarks all start it this way, on ephemeral ports unless told otherwise.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { importKey, loadOrCreateDevKeyPair, newKeyPair, type KeyPair } from '../auth/keys.js';
import { createTokenVerifier, issueToken } from '../auth/tokens.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway/gateway.js';
import { loadEdgeConfig } from '../gateway/config.js';
import { createRelationshipResolver } from '../gateway/relationships.js';
import type { StandIn } from '../legacy/faults.js';
import { generatePopulation, type Population, type PopulationOptions } from '../legacy/population.js';
import { createAuditClient } from '../subgraphs/audit/index.js';
import type { ServiceSigner } from '../subgraphs/internal.js';
import { startSubgraph, type RunningSubgraph } from '../subgraphs/harness.js';
import { loadSubgraphs, SUBGRAPH_NAMES } from '../subgraphs/index.js';
import type { Env, SubgraphModule } from '../subgraphs/types.js';
import { createLogger } from './log.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuditConfig, openAuditTrail, type AuditTrail } from '../audit/index.js';
import type { JWK } from 'jose';


export interface StackOptions {
  population?: Population | PopulationOptions;
  /** Environment for adapters and gateway; defaults to process.env. */
  env?: Env;
  /** Stand-ins with a database, by subgraph name: seed it into this PostgreSQL instead of the embedded one. */
  standInDatabaseUrls?: Record<string, string | undefined>;
  gatewayPort?: number;
  /** 'dev' keeps keys in .dev-keys (npm start); 'memory' makes throwaway keys (tests). */
  keys?: 'dev' | 'memory';
  /** Subgraphs to leave out (e.g. to show the gateway refusing to start without one). */
  only?: readonly string[];
  gatewayTimeoutMs?: number;
  /** The overall request deadline (ms), GATEWAY_REQUEST_DEADLINE_MS otherwise. */
  requestDeadlineMs?: number;
  breaker?: { failures: number; cooldownMs: number };
  logLevel?: string;
  /** Audit trail environment (AUDIT_DIR, AUDIT_DATABASE_URL, ...); tests get a fresh temporary folder by default. */
  auditEnv?: Env;
  /** false runs without an audit trail (and without the auditors' subgraph): only to measure what auditing costs. */
  audit?: false;
  /** false runs the subgraphs without the disclosure policy: only to measure what the policy costs; refused in production. */
  policy?: false;
  /**
   * Use the legacy systems the environment already locates (e.g. printed by `npm run stand-ins`) instead
   * of starting their stand-ins; a system the environment does not locate still gets its stand-in.
   */
  useConfiguredSystems?: boolean;
  /** Edge settings over those from the environment: production posture, limits, rate limits, trusted documents. */
  edge?: Pick<GatewayOptions, 'production' | 'limits' | 'rateLimits' | 'trustedDocuments'>;
}

/** The settings that say where an agency's system is, by the registry's env-prefix convention. */
const LOCATION_SETTINGS = ['URL', 'DATABASE_URL', 'EXPORT_DIR'];

/** The setting that locates agency `name`'s legacy system in `env` (e.g. `PRISONS_URL`), or null. */
export function configuredSystem(name: string, env: Env): string | null {
  const prefix = name.toUpperCase().replaceAll('-', '_');
  return LOCATION_SETTINGS.map((s) => `${prefix}_${s}`).find((k) => env[k]) ?? null;
}

export interface TokenRequest {
  agency: string;
  roles?: string[];
  subject?: string;
  staffCode?: string;
  expiresIn?: string;
}

export interface Stack {
  population: Population;
  modules: SubgraphModule[];
  standIns: Map<string, StandIn>;
  /** Systems used where the environment locates them, by agency: the setting that did. */
  configured: Map<string, string>;
  clients: Map<string, unknown>;
  subgraphs: Map<string, RunningSubgraph>;
  gateway: RunningGateway;
  gatewayUrl: string;
  issuer: KeyPair;
  gatewayKeys: KeyPair;
  audit: AuditTrail;
  /** Public keys that verify the audit trail's checkpoints. */
  auditKeys: JWK[];
  auth: { issuer: string; audience: string };
  token(req: TokenRequest): Promise<string>;
  close(): Promise<void>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const baseEnv = opts.env ?? process.env;
  const level = opts.logLevel ?? baseEnv.LOG_LEVEL ?? 'info';
  const population = opts.population && 'people' in opts.population ? opts.population : generatePopulation(opts.population as PopulationOptions | undefined);
  const modules = await loadSubgraphs((opts.only ?? SUBGRAPH_NAMES).filter((n) => opts.audit !== false || n !== 'audit'));
  const standIns = new Map<string, StandIn>();
  const configured = new Map<string, string>();
  const clients = new Map<string, unknown>();
  const subgraphs = new Map<string, RunningSubgraph>();
  let gateway: RunningGateway | undefined;
  let audit: AuditTrail | undefined;
  let auditKeys: JWK[] = [];
  let auditTmp: string | undefined;

  const close = async () => {
    await gateway?.close();
    await Promise.allSettled([...subgraphs.values()].map((s) => s.close()));
    await Promise.allSettled(modules.map((m) => (clients.has(m.name) ? m.close?.(clients.get(m.name)) : undefined)));
    await Promise.allSettled([...standIns.values()].map((s) => s.close()));
    await audit?.close();
    if (auditTmp) await rm(auditTmp, { recursive: true, force: true });
  };

  try {
    const env: Env = { ...baseEnv };
    for (const m of modules) {
      const setting = opts.useConfiguredSystems && m.standIn ? configuredSystem(m.name, baseEnv) : null;
      if (setting) configured.set(m.name, setting);
    }
    await Promise.all(modules.filter((m) => m.standIn && !configured.has(m.name)).map(async (m) => {
      const start = await m.standIn!();
      const s = await start({ population, databaseUrl: opts.standInDatabaseUrls?.[m.name] });
      standIns.set(m.name, s);
    }));
    for (const s of standIns.values()) Object.assign(env, s.env);

    // The audit trail: npm start keeps it in .data/audit; tests get a throwaway folder unless told otherwise.
    const auditEnv: Env = { ...baseEnv, ...opts.auditEnv };
    if (!auditEnv.AUDIT_DIR && !auditEnv.AUDIT_DATABASE_URL && opts.keys !== 'dev') auditEnv.AUDIT_DIR = auditTmp = await mkdtemp(join(tmpdir(), 'audit-'));
    if (opts.audit !== false) {
      const auditConfig = await loadAuditConfig(auditEnv);
      auditKeys = auditConfig.publicKeys;
      audit = await openAuditTrail(auditConfig, { logger: createLogger('audit', level) });
    }

    const dev = opts.keys === 'dev';
    const [issuer, gatewayKeys, identityKeys, auditServiceKeys] = await Promise.all((['issuer', 'gateway', 'identity', 'audit'] as const).map((n) => (dev ? loadOrCreateDevKeyPair(n) : newKeyPair(`test-${n}`))));
    const assertionPublic = await importKey(gatewayKeys.publicJwk);
    const issuerPrivate = await importKey(issuer.privateJwk);
    const auth = { issuer: baseEnv.AUTH_ISSUER ?? 'justice-graph-dev', audience: baseEnv.AUTH_AUDIENCE ?? 'justice-graph' };
    // Each service signs its internal calls with its own key; every subgraph trusts those keys for internal fields only.
    env.IDENTITY_ASSERTION_KEY = JSON.stringify(identityKeys.privateJwk);
    env.AUDIT_ASSERTION_KEY = JSON.stringify(auditServiceKeys.privateJwk);
    const serviceKeys = { identity: await importKey(identityKeys.publicJwk), audit: await importKey(auditServiceKeys.publicJwk) };
    const gatewaySigner: ServiceSigner = { service: 'gateway', key: await importKey(gatewayKeys.privateJwk), kid: gatewayKeys.kid };

    const edge = loadEdgeConfig(baseEnv);
    // Agencies first, then the core subgraphs in registry order: each is told where the ones before it answer.
    for (const m of [...modules.filter((x) => x.agency), ...modules.filter((x) => !x.agency)]) {
      const client = m.name === 'audit' ? await createAuditClient(env, { store: audit!.store }) : await m.createClient(env);
      clients.set(m.name, client);
      const s = await startSubgraph(m, { client, assertionKey: assertionPublic, serviceKeys, policy: opts.policy, maxRepresentations: edge.maxRepresentations, log: createLogger(`subgraph:${m.name}`, level) });
      subgraphs.set(m.name, s);
      env[`${m.name.toUpperCase().replace(/-/g, '_')}_SUBGRAPH_URL`] = s.url;
    }
    const urls = Object.fromEntries([...subgraphs].map(([n, s]) => [n, s.url]));
    gateway = await startGateway({
      modules,
      urls,
      verifyToken: createTokenVerifier({ ...auth, publicKeys: [issuer.publicJwk], ...edge.tokens }),
      relationships: createRelationshipResolver(modules, { urls, signer: gatewaySigner }),
      audit: audit ?? null,
      assertionKey: { key: await importKey(gatewayKeys.privateJwk), kid: gatewayKeys.kid },
      port: opts.gatewayPort ?? 0,
      timeoutMs: opts.gatewayTimeoutMs,
      requestDeadlineMs: opts.requestDeadlineMs ?? (baseEnv.GATEWAY_REQUEST_DEADLINE_MS ? Number(baseEnv.GATEWAY_REQUEST_DEADLINE_MS) : undefined),
      breaker: opts.breaker,
      log: createLogger('gateway', level),
      production: opts.edge?.production,
      limits: { ...edge.limits, ...opts.edge?.limits },
      rateLimits: { ...edge.rateLimits, ...opts.edge?.rateLimits },
      trustedDocuments: opts.edge?.trustedDocuments ?? edge.trustedDocuments,
      maxRepresentations: edge.maxRepresentations,
    });

    return {
      population, modules, standIns, configured, clients, subgraphs, gateway, gatewayUrl: gateway.url, issuer, gatewayKeys, auth, audit: audit as AuditTrail, auditKeys,
      token: (r) => issueToken(issuerPrivate, issuer.kid, {
        subject: r.subject ?? `dev-${r.agency.toLowerCase()}-user`, agency: r.agency, roles: r.roles ?? ['OFFICER'], staffCode: r.staffCode, expiresIn: r.expiresIn, ...auth,
      }),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

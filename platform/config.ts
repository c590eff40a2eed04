// Every setting the platform reads from the environment, in one typed schema (zod): its type, its range,
// its default, who reads it and what it means. `npm start`, `npm run gateway`, `npm run subgraph`, the
// stand-ins and the audit scripts all parse the environment through `loadSettings`, so a setting means
// the same everywhere and a bad value stops every one of them with an error naming the variable. The
// README's table of environment variables is rendered from this file (`npm run env:table -- --write`).
//
// Agency adapters keep their own `adapters/<agency>/config.ts` (an agency's connection details are that
// agency's business); their settings are listed here for the table only (`ADAPTER_SETTINGS`).
import { z } from 'zod';
import { DEFAULT_CLOCK_SKEW_SECONDS, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from '../auth/tokens.js';
import { SUBGRAPH_NAMES } from '../subgraphs/index.js';

export type Env = Record<string, string | undefined>;

/** A setting's entry in the README table. */
export interface SettingDoc {
  /** The default as a reader should see it (`(dev keys)`, `(embedded)`); derived from the schema when absent. */
  shown?: string;
  usedBy: string;
  meaning: string;
  /** The gateway refuses to start in production without it. */
  requiredInProduction?: boolean;
  /** Never echoed in an error message (keys, passwords in URLs). */
  secret?: boolean;
}

// ---- value types: each turns the raw text (or nothing) into a typed value, or a message saying what was expected

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A whole number in [min, max]. */
function int(fallback: number, min: number, max: number) {
  return z.preprocess(blank, z.optional(z.string()))
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const n = Number(raw.trim());
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    })
    .meta({ default: fallback });
}

function text(fallback: string) {
  return z.preprocess(blank, z.optional(z.string())).transform((v) => v ?? fallback).meta({ default: fallback });
}

const optionalText = () => z.preprocess(blank, z.optional(z.string())).transform((v) => v ?? null);

function oneOf<const T extends readonly [string, ...string[]], const F extends T[number] | null>(values: T, fallback: F) {
  return z.preprocess(blank, z.optional(z.enum(values, { error: `must be one of ${values.join(', ')}` }))).transform((v) => (v ?? fallback) as T[number] | F).meta({ default: fallback ?? undefined });
}

/** An absolute URL with one of the given schemes. */
function url(schemes: readonly string[]) {
  return z.preprocess(blank, z.optional(z.string()))
    .transform((raw, ctx) => {
      if (raw === undefined) return null;
      try {
        const u = new URL(raw.trim());
        if (schemes.includes(u.protocol.slice(0, -1))) return raw.trim();
      } catch { /* reported below */ }
      ctx.addIssue({ code: 'custom', message: `must be a ${schemes.join(' or ')} URL` });
      return z.NEVER;
    });
}

/** `N/S`: N per window of S seconds (e.g. `300/60`). */
function rate(fallback: { n: number; s: number }) {
  return z.preprocess(blank, z.optional(z.string()))
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const m = /^(\d{1,9})\/(\d{1,7})$/.exec(raw.trim());
      if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
        ctx.addIssue({ code: 'custom', message: 'must read N/S (N per S seconds, e.g. 300/60)' });
        return z.NEVER;
      }
      return { n: Number(m[1]), s: Number(m[2]) };
    })
    .meta({ default: `${fallback.n}/${fallback.s}` });
}

/** `ROLE=N,ROLE=N`. */
const perRole = () => z.preprocess(blank, z.optional(z.string()))
  .transform((raw, ctx) => {
    const out: Record<string, number> = {};
    if (raw === undefined) return out;
    for (const part of raw.split(',')) {
      const m = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(\d{1,9})\s*$/.exec(part);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: 'must read ROLE=N,ROLE=N (e.g. POLICE_OFFICER=100,ANALYST=500)' });
        return z.NEVER;
      }
      out[m[1]] = Number(m[2]);
    }
    return out;
  });

/** A JWK (or, with `set`, a JWK or a JWKS) as JSON; kept as text, checked as JSON here. */
function jsonKey(what: string) {
  return z.preprocess(blank, z.optional(z.string()))
    .transform((raw, ctx) => {
      if (raw === undefined) return null;
      try {
        const v = JSON.parse(raw) as unknown;
        if (v && typeof v === 'object' && !Array.isArray(v)) return raw;
      } catch { /* reported below */ }
      ctx.addIssue({ code: 'custom', message: `must hold ${what} as JSON` });
      return z.NEVER;
    });
}

const port = (fallback: number) => int(fallback, 0, 65535);

// ---- the settings, in the order of the README table

// The defaults of the edge, as gateway/limits.ts, gateway/rate-limit.ts and subgraphs/harness.ts define
// them. Written out rather than imported: those modules load the whole GraphQL server, and every
// script (audit:verify, token) reads its settings here (test/platform/config.test.ts checks they agree).
const d = { maxBodyBytes: 128 * 1024, maxJsonDepth: 16, maxTokens: 20_000, maxDepth: 10, maxAliases: 100, maxDirectives: 50, maxListArgument: 100, maxStringArgument: 256, maxCost: 50_000, assumedListSize: 5 };
const r = { perUser: { requests: 300, windowSeconds: 60 }, perAgency: { requests: 3000, windowSeconds: 60 }, distinctSubjects: { perUser: 200, windowSeconds: 3600 }, keyPrefix: 'jg:rl' };
const DEFAULT_MAX_REPRESENTATIONS = 2000;

/** Settings read through this module. The order is the README table's. */
export const SETTINGS = {
  NODE_ENV: text('development'),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  GATEWAY_PORT: port(4000),
  GATEWAY_HOST: text('127.0.0.1'),
  GATEWAY_SUBGRAPH_TIMEOUT_MS: int(5000, 50, 120_000),
  GATEWAY_REQUEST_DEADLINE_MS: int(8000, 100, 120_000),
  GATEWAY_BREAKER_FAILURES: int(5, 1, 1000),
  GATEWAY_BREAKER_COOLDOWN_MS: int(10_000, 100, 600_000),
  GATEWAY_READY_TIMEOUT_MS: int(2000, 50, 30_000),
  SHUTDOWN_DRAIN_MS: int(10_000, 0, 600_000),
  AUTH_JWKS_URL: url(['http', 'https']),
  AUTH_ISSUER: text('justice-graph-dev'),
  AUTH_AUDIENCE: text('justice-graph'),
  GATEWAY_ASSERTION_KEY: jsonKey('a private JWK'),
  GATEWAY_RATE_LIMIT_REDIS_URL: url(['redis', 'rediss']),
  GATEWAY_ASSERTION_PUBLIC_KEY: jsonKey('a public JWK'),
  IDENTITY_ASSERTION_KEY: jsonKey('a private JWK'),
  AUDIT_ASSERTION_KEY: jsonKey('a private JWK'),
  IDENTITY_ASSERTION_PUBLIC_KEY: jsonKey('a public JWK'),
  AUDIT_ASSERTION_PUBLIC_KEY: jsonKey('a public JWK'),
  DEV_KEYS_DIR: optionalText(),
  SUBGRAPH_HOST: text('127.0.0.1'),
  SUBGRAPH_PORT: port(0),
  STANDINS: oneOf(['on', 'off'], null),
  POPULATION_SIZE: int(2000, 2, 1_000_000),
  POPULATION_SEED: int(20261101, 0, 2 ** 31 - 1),
  STAND_INS_CONTROL_PORT: port(0),
  STAND_INS_ENV_FILE: optionalText(),
  GATEWAY_MAX_BODY_BYTES: int(d.maxBodyBytes, 1024, 10_000_000),
  GATEWAY_MAX_JSON_DEPTH: int(d.maxJsonDepth, 4, 256),
  GATEWAY_MAX_TOKENS: int(d.maxTokens, 50, 1_000_000),
  GATEWAY_MAX_DEPTH: int(d.maxDepth, 2, 100),
  GATEWAY_MAX_ALIASES: int(d.maxAliases, 0, 10_000),
  GATEWAY_MAX_DIRECTIVES: int(d.maxDirectives, 0, 10_000),
  GATEWAY_MAX_LIST_ARGUMENT: int(d.maxListArgument, 1, 100_000),
  GATEWAY_MAX_STRING_ARGUMENT: int(d.maxStringArgument, 16, 1_000_000),
  GATEWAY_MAX_COST: int(d.maxCost, 1, 1_000_000_000),
  GATEWAY_ASSUMED_LIST_SIZE: int(d.assumedListSize, 1, 1000),
  SUBGRAPH_MAX_REPRESENTATIONS: int(DEFAULT_MAX_REPRESENTATIONS, 1, 100_000),
  GATEWAY_RATE_LIMIT_USER: rate({ n: r.perUser.requests, s: r.perUser.windowSeconds }),
  GATEWAY_RATE_LIMIT_AGENCY: rate({ n: r.perAgency.requests, s: r.perAgency.windowSeconds }),
  GATEWAY_DISTINCT_SUBJECTS: rate({ n: r.distinctSubjects.perUser, s: r.distinctSubjects.windowSeconds }),
  GATEWAY_DISTINCT_SUBJECTS_BY_ROLE: perRole(),
  GATEWAY_RATE_LIMIT_PREFIX: text(r.keyPrefix),
  GATEWAY_TRUSTED_DOCUMENTS: optionalText(),
  GATEWAY_TRUSTED_DOCUMENTS_MODE: oneOf(['require', 'allow', 'off'], null),
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: int(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, 60, 7 * 86400),
  AUTH_CLOCK_SKEW_SECONDS: int(DEFAULT_CLOCK_SKEW_SECONDS, 0, 600),
  AUDIT_DIR: optionalText(),
  AUDIT_DATABASE_URL: url(['postgres', 'postgresql']),
  AUDIT_DB_SCHEMA: text('audit'),
  AUDIT_RETENTION_DATABASE_URL: url(['postgres', 'postgresql']),
  AUDIT_SIGNING_KEY: jsonKey('a private JWK'),
  AUDIT_PUBLIC_KEYS: jsonKey('a JWK or a JWKS'),
  AUDIT_CHECKPOINT_EVERY: int(100, 1, 1_000_000),
  AUDIT_RETENTION_DAYS: int(2555, 1, 100_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http', 'https']),
  OTEL_SERVICE_NAME: optionalText(),
} as const;

export type SettingName = keyof typeof SETTINGS;

const DOCS: Record<SettingName, SettingDoc> = {
  NODE_ENV: { usedBy: 'every process', meaning: '`production` turns on the production posture and the required settings below' },
  LOG_LEVEL: { shown: '`info` (`warn` for `npm start`)', usedBy: 'every process', meaning: 'log level (`fatal` … `trace`, `silent`)' },
  GATEWAY_PORT: { usedBy: 'gateway', meaning: 'where the gateway listens (`0` = any free port)' },
  GATEWAY_HOST: { usedBy: 'gateway', meaning: 'the address the gateway listens on' },
  GATEWAY_SUBGRAPH_TIMEOUT_MS: { usedBy: 'gateway', meaning: 'deadline for each subgraph call; a subgraph that does not answer in it counts against its breaker' },
  GATEWAY_REQUEST_DEADLINE_MS: { usedBy: 'gateway', meaning: 'one deadline for the whole request, sent to every subgraph (`x-request-deadline`); every timeout below it is cut to what remains' },
  GATEWAY_BREAKER_FAILURES: { usedBy: 'gateway', meaning: 'consecutive transport failures or timeouts of one subgraph that open its circuit breaker' },
  GATEWAY_BREAKER_COOLDOWN_MS: { usedBy: 'gateway', meaning: 'how long an open breaker fails fast before one trial call' },
  GATEWAY_READY_TIMEOUT_MS: { usedBy: 'gateway', meaning: "how long `/ready` waits for each subgraph's `/health` and the audit store" },
  SHUTDOWN_DRAIN_MS: { usedBy: 'gateway, `npm start`, `npm run subgraph`', meaning: 'on SIGTERM/SIGINT, how long requests in flight may take to finish before the process exits' },
  AUTH_JWKS_URL: { shown: '(dev keys)', usedBy: 'gateway', meaning: "identity provider's JWKS for caller tokens", requiredInProduction: true },
  AUTH_ISSUER: { usedBy: 'gateway, `npm run token`', meaning: 'expected `iss` of caller tokens', requiredInProduction: true },
  AUTH_AUDIENCE: { usedBy: 'gateway, `npm run token`', meaning: 'expected `aud` of caller tokens' },
  GATEWAY_ASSERTION_KEY: { shown: '(dev keys)', usedBy: 'gateway', meaning: 'private JWK (JSON) signing caller assertions', requiredInProduction: true, secret: true },
  GATEWAY_RATE_LIMIT_REDIS_URL: { shown: '(in process)', usedBy: 'gateway', meaning: 'shared rate-limit counters', requiredInProduction: true, secret: true },
  GATEWAY_ASSERTION_PUBLIC_KEY: { shown: '(dev keys)', usedBy: '`npm run subgraph`', meaning: 'the public JWK of `GATEWAY_ASSERTION_KEY` that subgraphs trust (required in production)' },
  IDENTITY_ASSERTION_KEY: { shown: '(dev keys)', usedBy: 'identity subgraph', meaning: "private JWK signing identity's internal calls (required in production)", secret: true },
  AUDIT_ASSERTION_KEY: { shown: '(dev keys)', usedBy: 'audit subgraph', meaning: "private JWK signing the auditors' internal calls (required in production)", secret: true },
  IDENTITY_ASSERTION_PUBLIC_KEY: { shown: '(dev keys)', usedBy: '`npm run subgraph`', meaning: 'public JWK subgraphs trust for identity\'s internal calls (without it in production, they are refused)' },
  AUDIT_ASSERTION_PUBLIC_KEY: { shown: '(dev keys)', usedBy: '`npm run subgraph`', meaning: 'public JWK subgraphs trust for the audit subgraph\'s internal calls' },
  DEV_KEYS_DIR: { shown: '`.dev-keys`', usedBy: 'development', meaning: 'where development keys are generated (git-ignored)' },
  SUBGRAPH_HOST: { usedBy: '`npm run subgraph`', meaning: 'the address one subgraph listens on' },
  SUBGRAPH_PORT: { shown: 'any free port', usedBy: '`npm run subgraph`', meaning: 'the port one subgraph listens on' },
  STANDINS: { shown: '`on` (`off` in production)', usedBy: '`npm run subgraph`', meaning: "start the agency's stand-in system first" },
  POPULATION_SIZE: { usedBy: 'stand-ins, `npm start`', meaning: 'people in the synthetic population' },
  POPULATION_SEED: { usedBy: 'stand-ins, `npm start`, `npm run example`', meaning: 'seed of the synthetic population' },
  STAND_INS_CONTROL_PORT: { shown: 'any free port', usedBy: '`npm run stand-ins`', meaning: "port of the stand-ins' control API (loopback only)" },
  STAND_INS_ENV_FILE: { shown: '', usedBy: '`npm run stand-ins`', meaning: 'also write the printed environment to this `.env` file' },
  GATEWAY_MAX_BODY_BYTES: { usedBy: 'gateway', meaning: 'query limit: request body size (see "Limits")' },
  GATEWAY_MAX_JSON_DEPTH: { usedBy: 'gateway', meaning: 'query limit: nesting of the JSON body' },
  GATEWAY_MAX_TOKENS: { usedBy: 'gateway, `operations:register`', meaning: 'query limit: tokens in the document' },
  GATEWAY_MAX_DEPTH: { usedBy: 'gateway, `operations:register`', meaning: 'query limit: field depth' },
  GATEWAY_MAX_ALIASES: { usedBy: 'gateway, `operations:register`', meaning: 'query limit: aliases' },
  GATEWAY_MAX_DIRECTIVES: { usedBy: 'gateway, `operations:register`', meaning: 'query limit: directives' },
  GATEWAY_MAX_LIST_ARGUMENT: { usedBy: 'gateway, `operations:register`', meaning: 'query limit: items in one list argument' },
  GATEWAY_MAX_STRING_ARGUMENT: { usedBy: 'gateway, `operations:register`', meaning: 'query limit: characters in one string argument' },
  GATEWAY_MAX_COST: { usedBy: 'gateway, `operations:register`', meaning: 'query limit: estimated cost' },
  GATEWAY_ASSUMED_LIST_SIZE: { usedBy: 'gateway, `operations:register`', meaning: 'list size the cost estimate assumes without a size argument' },
  SUBGRAPH_MAX_REPRESENTATIONS: { usedBy: 'subgraphs, gateway', meaning: '`_entities` representations per subgraph request' },
  GATEWAY_RATE_LIMIT_USER: { usedBy: 'gateway', meaning: 'requests per user per window (N/seconds)' },
  GATEWAY_RATE_LIMIT_AGENCY: { usedBy: 'gateway', meaning: 'requests per agency per window (N/seconds)' },
  GATEWAY_DISTINCT_SUBJECTS: { usedBy: 'gateway', meaning: 'different people one user may look up per window (N/seconds)' },
  GATEWAY_DISTINCT_SUBJECTS_BY_ROLE: { shown: '', usedBy: 'gateway', meaning: 'per-role figures `ROLE=N,...` (the highest of the caller\'s roles wins)' },
  GATEWAY_RATE_LIMIT_PREFIX: { usedBy: 'gateway', meaning: 'prefix of the rate-limit keys in Redis' },
  GATEWAY_TRUSTED_DOCUMENTS: { shown: '', usedBy: 'gateway, `operations:register`', meaning: 'the trusted documents manifest' },
  GATEWAY_TRUSTED_DOCUMENTS_MODE: { shown: '`require` in production, `allow` otherwise (`off` without a manifest)', usedBy: 'gateway', meaning: '`require`, `allow` or `off`' },
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: { usedBy: 'gateway', meaning: 'longest caller token lifetime' },
  AUTH_CLOCK_SKEW_SECONDS: { usedBy: 'gateway', meaning: 'tolerated clock difference for `iat`/`nbf`' },
  AUDIT_DIR: { shown: '`.data/audit`', usedBy: 'gateway', meaning: "the embedded audit store's folder" },
  AUDIT_DATABASE_URL: { shown: '(embedded)', usedBy: 'gateway, audit subgraph, `audit:verify`', meaning: 'PostgreSQL audit store: the gateways as the insert-and-select-only role, the auditors\' subgraph (required when it runs as its own process) and `audit:verify` as the select-only reader role, all in the same schema', secret: true },
  AUDIT_DB_SCHEMA: { usedBy: 'gateway', meaning: 'schema of the PostgreSQL audit store' },
  AUDIT_RETENTION_DATABASE_URL: { shown: '`AUDIT_DATABASE_URL`', usedBy: '`npm run audit:retention`', meaning: 'as the retention role', secret: true },
  AUDIT_SIGNING_KEY: { shown: '(dev keys)', usedBy: 'gateway, `audit:verify`', meaning: 'checkpoint signing key (private JWK; required in production)', secret: true },
  AUDIT_PUBLIC_KEYS: { shown: '', usedBy: '`audit:verify`', meaning: 'extra checkpoint verification keys (a JWK or a JWKS)' },
  AUDIT_CHECKPOINT_EVERY: { usedBy: 'gateway', meaning: 'sign a checkpoint every this many records' },
  AUDIT_RETENTION_DAYS: { usedBy: '`npm run audit:retention`', meaning: 'retention period (7 years)' },
  OTEL_EXPORTER_OTLP_ENDPOINT: { shown: '(tracing off)', usedBy: '`npm start`, gateway, subgraphs', meaning: 'OTLP/HTTP collector base URL; traces go to `<url>/v1/traces`' },
  OTEL_SERVICE_NAME: { shown: '`justice-graph`, `justice-graph-gateway`, `justice-graph-<subgraph>`', usedBy: 'same', meaning: 'the service name traces are reported under' },
};

/** One row of the README's table for a setting another module parses: `name` may list several, split by `,` or `/`. */
export interface SettingRow { name: string; shown: string; usedBy: string; meaning: string }

/**
 * Settings another module parses (the identity subgraph its link budget, bench and tests theirs): listed
 * for the table. Each agency's own settings are declared by its adapter (`adapters/<slug>/config.ts`
 * exports `SETTINGS_TABLE`) and found through the registry by platform/env-table.ts.
 */
export const OTHER_SETTINGS: SettingRow[] = [
  { name: 'IDENTITY_LINK_BUDGET_MS', shown: '`4000`', usedBy: 'identity subgraph', meaning: 'how long linking waits for the agencies; one that has not answered is left out, and its fields fail with `SOURCE_TIMEOUT` naming it' },
  { name: 'BENCH_WORKLIST_PEOPLE', shown: '`50` (bench), `0` (stand-ins)', usedBy: '`npm run bench`, which passes it to `npm run stand-ins`', meaning: 'page length of each worklist the bench measures; the stand-ins give one offender manager (`N07A950`), liaison officer (`VLO950`) and establishment (`MDI`, wing A) worklists of this many people' },
  { name: '<SLUG>_TIMEOUT_MS', shown: '`3000`', usedBy: 'each adapter', meaning: 'deadline for each attempt of a legacy call' },
  { name: '<SLUG>_BREAKER_FAILURES / <SLUG>_BREAKER_COOLDOWN_MS', shown: '`5` / `10000`', usedBy: 'each adapter', meaning: "consecutive failures of the agency's own system that open its breaker / how long it stays open before one trial call" },
  { name: '<SLUG>_CONCURRENCY / <SLUG>_QUEUE', shown: '`16` / `256`', usedBy: 'each adapter', meaning: 'bulkhead: calls in flight to the system at once / calls that may wait; beyond, `SOURCE_UNAVAILABLE` at once' },
  { name: '<SLUG>_RETRIES / <SLUG>_RETRY_DELAY_MS', shown: '`1` / `50`', usedBy: 'each adapter', meaning: 'further attempts of a read after a failure of the system / first backoff delay (jittered, growing to 8×)' },
  { name: 'STAND_INS_CONTROL_URL', shown: '(printed)', usedBy: '`npm run bench`, tests', meaning: "the stand-ins' control API, printed by `npm run stand-ins`" },
  { name: 'BENCH_SIZE / BENCH_SEED', shown: '`2000` / `20261101`', usedBy: '`npm run bench`', meaning: "population of the benchmark's stand-ins" },
  { name: 'BENCH_PEOPLE / BENCH_CONCURRENCY', shown: '`1,10,50,100` / `1,4,16`', usedBy: '`npm run bench`', meaning: 'people per request for call counts / concurrencies for throughput' },
  { name: 'BENCH_LATENCY_MS / BENCH_LATENCY_REQUESTS / BENCH_REQUESTS', shown: '`50` / `30` / `100`', usedBy: '`npm run bench`', meaning: 'injected latency for waves, requests per latency figure, requests per load run' },
  { name: 'BENCH_PARTS', shown: '`calls,waves,worklists,throughput,cost`', usedBy: '`npm run bench`', meaning: 'which figures to measure' },
  { name: 'BENCH_ONLY_POLICY_OFF', shown: '', usedBy: "bench's product process", meaning: '`1` runs without the disclosure policy and audit trail to measure their cost; refused with `NODE_ENV=production`' },
  { name: 'BENCH_POLICY_ROUNDS / BENCH_POLICY_SIZE', shown: '`12` / `1000`', usedBy: '`npm run bench:policy`', meaning: 'rounds and list size of the policy cost measurement' },
  { name: 'AUDIT_ADMIN_DATABASE_URL', shown: '`postgres://postgres@127.0.0.1:5432/justice_graph` (required in production)', usedBy: '`npm run audit:migrate`, `start:distributed`', meaning: "the audit schema's owner; the database is created if missing" },
  { name: 'AUDIT_APP_ROLE / AUDIT_RETENTION_ROLE / AUDIT_READER_ROLE', shown: '`audit_app` / `audit_retention` / `audit_reader`', usedBy: '`npm run audit:migrate`, `start:distributed`', meaning: 'the three login roles; `AUDIT_APP_PASSWORD`, `AUDIT_RETENTION_PASSWORD`, `AUDIT_READER_PASSWORD` set their passwords' },
  { name: 'AUDIT_APP_PASSWORD / AUDIT_RETENTION_PASSWORD / AUDIT_READER_PASSWORD', shown: '', usedBy: '`npm run audit:migrate`, `start:distributed`', meaning: 'passwords of the three audit roles' },
  { name: 'DISTRIBUTED_PORT / DISTRIBUTED_GATEWAYS / DISTRIBUTED_READY_TIMEOUT_MS', shown: '`0` / `2` / `180000`', usedBy: '`npm run start:distributed`', meaning: "the round-robin front's port, the number of gateways, the guard on each process's start" },
  { name: 'GATEWAY_CORS_ORIGINS', shown: '`http://localhost:5173,http://127.0.0.1:5173` in development, none in production', usedBy: 'gateway', meaning: 'origins browser apps may call from (comma-separated, or `none`); see "Calling the graph from a browser app"' },
  { name: 'CHROMIUM_PATH', shown: '`/usr/bin/chromium`', usedBy: 'browser tests', meaning: 'the Chromium the browser tests drive' },
  { name: 'APOLLO_TELEMETRY_DISABLED', shown: '`1` (always set)', usedBy: 'gateway', meaning: 'keeps @apollo/gateway from calling home' },
  { name: 'TEST_DATABASE_URL', shown: '`postgres://postgres@127.0.0.1:5432/test`', usedBy: 'tests', meaning: 'PostgreSQL for the police adapter tests' },
  { name: 'TEST_REDIS_URL', shown: '`redis://127.0.0.1:6379`', usedBy: 'tests', meaning: 'Redis for the shared rate-limit tests' },
];

/** `<SLUG>_SUBGRAPH_URL` for a registry name. */
export const subgraphUrlVariable = (name: string) => `${name.toUpperCase().replaceAll('-', '_')}_SUBGRAPH_URL`;
/** `<SLUG>_STANDIN_DATABASE_URL` for a registry name. */
export const standInDatabaseVariable = (name: string) => `${name.toUpperCase().replaceAll('-', '_')}_STANDIN_DATABASE_URL`;

const SUBGRAPH_URL = url(['http', 'https']);
const STANDIN_DATABASE_URL = url(['postgres', 'postgresql']);

export type Settings = { [K in SettingName]: z.output<(typeof SETTINGS)[K]> } & {
  /** Subgraph URLs by registry name; a name without one is served by the embedded stack. */
  subgraphUrls: Record<string, string>;
  /** PostgreSQL to seed a stand-in's database into (npm start), by registry name. */
  standInDatabaseUrls: Record<string, string>;
  production: boolean;
};

/** A setting that is wrong: the variable, what was expected, and the value unless it is secret. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown before anything starts: every wrong or missing setting, each naming its variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')} (see README, "Environment variables")`);
    this.name = 'ConfigError';
  }
}

const isSecret = (name: string) => (DOCS as Record<string, SettingDoc>)[name]?.secret === true || name.endsWith('_STANDIN_DATABASE_URL');

function problems(error: z.ZodError, env: Env): ConfigError {
  return new ConfigError(error.issues.map((i) => {
    const variable = String(i.path[0]);
    const raw = env[variable];
    return { variable, message: `${i.message}${raw !== undefined && !isSecret(variable) ? `, got "${raw.length > 80 ? `${raw.slice(0, 80)}…` : raw}"` : ''}` };
  }));
}

type Values<K extends SettingName> = { [P in K]: z.output<(typeof SETTINGS)[P]> };

/** Parses every setting of `env`; throws ConfigError listing each bad one. */
export function loadSettings(env: Env, subgraphNames: readonly string[] = SUBGRAPH_NAMES): Settings {
  const perSubgraph = Object.fromEntries(subgraphNames.flatMap((n) => [[subgraphUrlVariable(n), SUBGRAPH_URL], [standInDatabaseVariable(n), STANDIN_DATABASE_URL]]));
  const parsed = z.object({ ...SETTINGS, ...perSubgraph }).safeParse(env);
  if (!parsed.success) throw problems(parsed.error, env);
  const values = parsed.data as Record<string, unknown>;
  const byName = (variable: (n: string) => string) => Object.fromEntries(subgraphNames.flatMap((n) => (values[variable(n)] ? [[n, values[variable(n)] as string]] : [])));
  return { ...(values as Values<SettingName>), subgraphUrls: byName(subgraphUrlVariable), standInDatabaseUrls: byName(standInDatabaseVariable), production: values.NODE_ENV === 'production' };
}

/** Only the named settings (a tool that needs three should not refuse to run over a fourth it never reads). */
export function pickSettings<K extends SettingName>(env: Env, names: readonly K[]): Values<K> {
  const parsed = z.object(Object.fromEntries(names.map((n) => [n, SETTINGS[n]]))).safeParse(env);
  if (!parsed.success) throw problems(parsed.error, env);
  return parsed.data as Values<K>;
}

/** Settings a production gateway cannot run without, in table order, then each subgraph's URL. */
export function missingInProduction(settings: Settings, env: Env, subgraphNames: readonly string[]): string[] {
  const required = (Object.keys(DOCS) as SettingName[]).filter((k) => DOCS[k].requiredInProduction && (env[k] === undefined || env[k]!.trim() === ''));
  return [...required, ...subgraphNames.filter((n) => !settings.subgraphUrls[n]).map(subgraphUrlVariable)];
}

/**
 * Runs `load`; on a ConfigError prints its problems and exits 2 before anything has started.
 * For the scripts: a process with a wrong setting must refuse to start, not run on a guess.
 */
export function orExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    return refuse(err);
  }
}

/** `orExit` for a loader that reads files too (the audit configuration). */
export async function orExitAsync<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    return refuse(err);
  }
}

function refuse(err: unknown): never {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}

// ---- the README table

function shownDefault(name: SettingName): string {
  const doc = DOCS[name];
  if (doc.shown !== undefined) return doc.shown;
  const meta = SETTINGS[name].meta() as { default?: unknown } | undefined;
  const v = meta?.default;
  if (v === undefined || v === null || v === '') return '';
  return `\`${v}\``;
}

const cell = (s: string) => s.replaceAll('|', '\\|');

/** The README table of environment variables, rendered from the schema. */
/**
 * The README's table. `agencyRows` are the agencies' own settings, declared by their adapters; use
 * platform/env-table.ts, which finds them through the registry, rather than calling this directly.
 */
export function envTable(subgraphNames: readonly string[] = SUBGRAPH_NAMES, agencyRows: SettingRow[] = []): string {
  const rows: string[][] = [];
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const doc = DOCS[name];
    rows.push([`\`${name}\``, shownDefault(name) + (doc.requiredInProduction ? (shownDefault(name) ? '; ' : '') + '**required in production**' : ''), doc.usedBy, doc.meaning]);
    if (name === 'STAND_INS_ENV_FILE') {
      rows.push(['`<NAME>_STANDIN_DATABASE_URL` (e.g. `POLICE_STANDIN_DATABASE_URL`)', '', '`npm start`', "seed that agency's stand-in database into this PostgreSQL instead of the embedded one"]);
    }
    if (name === 'GATEWAY_HOST') {
      rows.push([subgraphNames.map((n) => `\`${subgraphUrlVariable(n)}\``).join(', '), '(embedded); **required in production**', '`npm run gateway`, identity and audit subgraphs',
        'where each subgraph answers when it runs elsewhere (identity asks every agency subgraph, audit asks identity)']);
    }
  }
  // The agencies' own settings go before the settings every adapter shares (`<SLUG>_...`).
  const shared = OTHER_SETTINGS.findIndex((o) => o.name.startsWith('<SLUG>_'));
  const all = [...OTHER_SETTINGS.slice(0, shared), ...agencyRows, ...OTHER_SETTINGS.slice(shared)];
  for (const o of all) rows.push([o.name.split(/\s*([,/])\s*/).map((p) => (p === ',' || p === '/' ? (p === ',' ? ', ' : ' / ') : `\`${p}\``)).join(''), o.shown, o.usedBy, o.meaning]);
  return ['| variable | default | used by | meaning |', '| --- | --- | --- | --- |', ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

export const ENV_TABLE_BEGIN = '<!-- env-table:begin (generated by `npm run env:table -- --write` from platform/config.ts) -->';
export const ENV_TABLE_END = '<!-- env-table:end -->';

/** `readme` with the table between the markers replaced by the current one; throws when the markers are missing. */
export function withEnvTable(readme: string, table: string = envTable()): string {
  const start = readme.indexOf(ENV_TABLE_BEGIN);
  const end = readme.indexOf(ENV_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no env-table markers');
  return `${readme.slice(0, start + ENV_TABLE_BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}

// The development explorer: GraphiQL served by the gateway itself, offline (GraphiQL, React and ReactDOM
// come from their npm packages, never a CDN), with a switcher that mints development tokens for a
// chosen role, agency and staff code, declares a purpose and justification, and shows each withheld
// field with its reason and agreement and the request id its audit record is filed under. It exists
// only in development: the gateway does not create it in production, and this module refuses to.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGREEMENTS, PURPOSES, ROLES } from '../schema/policy/index.js';
import { REASONS } from '../schema/policy/vocabulary.js';

export const EXPLORER_PATH = '/explorer';
export const EXPLORER_TOKEN_PATH = '/explorer/token';
/** Development tokens from the explorer are short-lived: long enough for a session, no longer. */
const TOKEN_LIFETIME = '1h';

/** Mints a development caller token (the local issuer key in .dev-keys, or a test's throwaway one). */
export type DevTokenMinter = (r: { agency: string; roles: string[]; subject: string; staffCode?: string; expiresIn: string }) => Promise<string>;

export interface ExplorerOptions {
  mintToken: DevTokenMinter;
  /** Variables the README query opens with (the example person of the running population). */
  exampleVariables?: Record<string, unknown>;
}

export interface Explorer {
  /** Answers the explorer's routes (true), or leaves the request to the gateway (false). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** A package's folder, found from its main entry (their package.json `exports` do not list the UMD files). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === name) return dir;
    } catch { /* not this folder */ }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the ${name} package folder`);
    dir = up;
  }
}

interface Asset { type: string; body: Buffer }

function loadAssets(): Map<string, Asset> {
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  const files: [string, string, string][] = [
    ['react.js', join(packageDir('react'), 'umd/react.production.min.js'), js],
    ['react-dom.js', join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), js],
    ['graphiql.js', join(packageDir('graphiql'), 'graphiql.min.js'), js],
    ['graphiql.css', join(packageDir('graphiql'), 'graphiql.min.css'), css],
    ['explorer.js', join(root, 'explorer/explorer.js'), js],
    ['explorer.css', join(root, 'explorer/explorer.css'), css],
  ];
  return new Map(files.map(([name, file, type]) => [name, { type, body: readFileSync(file) }]));
}

/** The README's example query, so the explorer opens on the query the README explains. */
function readmeExampleQuery(): string {
  try {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const q = /<!-- example-query -->\s*```graphql\n([\s\S]*?)```/.exec(readme)?.[1];
    if (q) return q;
  } catch { /* a deployment without the README still gets a query to start from */ }
  return 'query Person($pnc: String!) {\n  personByIdentifier(type: PNC, value: $pnc) {\n    id\n    name { fullName }\n  }\n}\n';
}

/** What the page needs to know: the policy's vocabulary (for the switcher and the withheld panel) and where to ask. */
function pageConfig(opts: ExplorerOptions, graphqlPath: string) {
  return {
    graphqlPath,
    tokenPath: EXPLORER_TOKEN_PATH,
    roles: ROLES,
    purposes: PURPOSES,
    reasons: REASONS,
    agreements: Object.fromEntries(Object.entries(AGREEMENTS).map(([id, a]) => [id, { name: a.name, owner: a.owner, starts: a.starts, ends: a.ends }])),
    query: readmeExampleQuery(),
    variables: JSON.stringify(opts.exampleVariables ?? { pnc: '' }, null, 2),
  };
}

function page(config: unknown): string {
  // JSON inside a <script> element: `<` escaped so no value can close the element.
  const data = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>justice-graph explorer (development)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${EXPLORER_PATH}/assets/graphiql.css">
<link rel="stylesheet" href="${EXPLORER_PATH}/assets/explorer.css">
</head>
<body>
<div id="explorer"><p class="loading">Loading the explorer…</p></div>
<script id="explorer-config" type="application/json">${data}</script>
<script src="${EXPLORER_PATH}/assets/react.js"></script>
<script src="${EXPLORER_PATH}/assets/react-dom.js"></script>
<script src="${EXPLORER_PATH}/assets/graphiql.js"></script>
<script src="${EXPLORER_PATH}/assets/explorer.js"></script>
</body>
</html>
`;
}

// Only the gateway's own files; fonts and icons are data: URLs inside GraphiQL's stylesheet.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?$/i;
const NAME = /^[A-Z][A-Z_]{1,39}$/;
const STAFF_CODE = /^[A-Za-z0-9]{1,20}$/;

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): true {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra }).end(body);
  return true;
}
const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
const refuse = (res: ServerResponse, status: number, code: string, message: string) => json(res, status, { errors: [{ message, extensions: { code } }] });

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw new Error('too large');
    chunks.push(c);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** The explorer for a development gateway; throws with NODE_ENV=production, where it must not exist. */
export function createExplorer(opts: ExplorerOptions, graphqlPath = '/graphql', env: Record<string, string | undefined> = process.env): Explorer {
  // Belt and braces: the gateway does not ask for an explorer in production; if it ever did, fail at start.
  if (env.NODE_ENV === 'production') throw new Error('the explorer and its token route are for development only; refusing to create them with NODE_ENV=production');
  const assets = loadAssets();
  const html = page(pageConfig(opts, graphqlPath));
  const roles = ROLES as Record<string, { agency: string; purposes: readonly string[] }>;

  async function mint(req: IncomingMessage, res: ServerResponse): Promise<true> {
    // A page on another site that resolves its own name to this machine (DNS rebinding) addresses it by
    // that name: only requests addressed to a loopback name get a token.
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) return refuse(res, 403, 'FORBIDDEN', 'Development tokens are minted only for requests to localhost or 127.0.0.1');
    // JSON only: a cross-site form post cannot send it without a preflight, which this route never answers.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return refuse(res, 415, 'BAD_REQUEST', 'Send {"agency", "role", "staffCode"} as application/json');
    let body: { agency?: unknown; role?: unknown; staffCode?: unknown };
    try {
      body = (await readJson(req, 4096)) as typeof body;
    } catch {
      return refuse(res, 400, 'BAD_REQUEST', 'The body must be a small JSON object: {"agency", "role", "staffCode"}');
    }
    const { agency, role, staffCode } = body ?? {};
    if (typeof role !== 'string' || !NAME.test(role) || !roles[role]) return refuse(res, 400, 'BAD_REQUEST', `role must be one of ${Object.keys(roles).join(', ')}`);
    if (agency !== roles[role].agency) return refuse(res, 400, 'BAD_REQUEST', `${role} is a role of ${roles[role].agency}, not of ${String(agency).slice(0, 40)}`);
    if (staffCode !== undefined && staffCode !== null && staffCode !== '' && (typeof staffCode !== 'string' || !STAFF_CODE.test(staffCode))) {
      return refuse(res, 400, 'BAD_REQUEST', 'staffCode must be letters and digits (at most 20), e.g. N07A001');
    }
    const code = typeof staffCode === 'string' && staffCode ? staffCode : undefined;
    const subject = `explorer-${agency.toLowerCase()}-${role.toLowerCase()}${code ? `-${code.toLowerCase()}` : ''}`;
    const token = await opts.mintToken({ agency, roles: [role], subject, staffCode: code, expiresIn: TOKEN_LIFETIME });
    return json(res, 200, { token, subject, agency, roles: [role], staffCode: code ?? null, expiresIn: TOKEN_LIFETIME });
  }

  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://local.invalid');
      const path = url.pathname;
      const get = req.method === 'GET' || req.method === 'HEAD';
      // A browser opening the gateway (or its GraphQL URL) is shown the explorer instead of a JSON refusal.
      if (get && (path === '/' || (path === graphqlPath && /text\/html/.test(req.headers.accept ?? '')))) {
        res.writeHead(302, { location: EXPLORER_PATH, 'cache-control': 'no-store' }).end();
        return true;
      }
      if (path === EXPLORER_PATH || path === `${EXPLORER_PATH}/`) {
        if (!get) return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'GET the explorer');
        return send(res, 200, 'text/html; charset=utf-8', html, { 'content-security-policy': CSP, 'x-frame-options': 'DENY' });
      }
      if (path === EXPLORER_TOKEN_PATH) {
        if (req.method !== 'POST') return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'POST {"agency", "role", "staffCode"} to mint a development token');
        return mint(req, res);
      }
      const asset = path.startsWith(`${EXPLORER_PATH}/assets/`) ? assets.get(path.slice(`${EXPLORER_PATH}/assets/`.length)) : undefined;
      if (asset && get) return send(res, 200, asset.type, asset.body);
      if (path.startsWith(`${EXPLORER_PATH}/`)) return refuse(res, 404, 'NOT_FOUND', `not found: the explorer is at ${EXPLORER_PATH}`);
      return false;
    },
  };
}

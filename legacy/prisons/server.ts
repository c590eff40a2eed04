// Stand-in for the prisons estate: the HMPPS Prison API, Prisoner Search API and Prisoner Alerts API on one HTTP server, behind
// an HMPPS Auth stand-in (POST /auth/oauth/token, client credentials). Every API path needs a valid bearer
// token; errors use the HMPPS ErrorResponse shape. Token lifetime: PRISONS_STANDIN_TOKEN_TTL_SECONDS
// (default 1200, as HMPPS Auth); tests expire tokens with `standIn.tokens.expireAll()`.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../http.js';
import { FaultControl, RequestCounter, type FaultOutcome, type StandIn, type StandInOptions, type StartStandIn } from '../faults.js';
import { TokenIssuer } from '../oauth.js';
import type { PrisonOffender } from '../population.js';
import * as render from './render.js';
import { attributeSearch, BadQuery, possibleMatches } from './search.js';

export interface PrisonsStandIn extends StandIn {
  /** The HMPPS Auth stand-in: `expireAll()` forces the next API call to answer 401. */
  tokens: TokenIssuer;
}

const CLIENT_ID = 'justice-graph-prisons';
const OFFENDER_NO = '[A-Za-z0-9]{1,10}';

type Handler = (m: RegExpExecArray, body: unknown, url: URL) => { status: number; body: unknown };
interface Route {
  method: 'GET' | 'POST';
  /** The operation name counted, as in the OpenAPI document. */
  operation: string;
  pattern: RegExp;
  handle: Handler;
}

const errorBody = (status: number, userMessage: string, developerMessage = userMessage) => ({ status, userMessage, developerMessage });
const notFound = (id: string) => ({ status: 404, body: errorBody(404, `Resource with id [${id}] not found.`) });

function send(res: ServerResponse, status: number, body: unknown, raw?: string): void {
  const text = raw ?? JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** A payload broken the way a faulty upstream breaks it: a list gets an impossible date in its first record, anything else is cut short. */
function malformed(body: unknown): string {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { content?: unknown }).content) ? (body as { content: unknown[] }).content : null;
  const first = list?.[0] as Record<string, unknown> | undefined;
  // A prisoner loses its surname (an impossible date of birth no longer costs a record); an alert gets an impossible date.
  if (first && 'lastName' in first) {
    first.lastName = '';
    return JSON.stringify(body);
  }
  const field = first && ['dateOfBirth', 'dateCreated', 'activeFrom'].find((f) => f in first);
  if (first && field) {
    first[field] = '1985-02-30';
    return JSON.stringify(body);
  }
  const text = JSON.stringify(body);
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new BadQuery('Request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadQuery('Request body is not valid JSON');
  }
}

export async function startPrisonsStandIn(options: StandInOptions): Promise<PrisonsStandIn> {
  const ref = options.population.referenceDate;
  const faults = new FaultControl(options.faultSeed ?? 1);
  const requests = new RequestCounter();
  const ttl = Number(process.env.PRISONS_STANDIN_TOKEN_TTL_SECONDS ?? 1200);
  // A fresh secret per start: nothing real-looking is ever written in code or config.
  const clientSecret = randomBytes(24).toString('base64url');
  const tokens = new TokenIssuer({ clientId: CLIENT_ID, clientSecret, ttlSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 1200 });

  // Indexed once: offender by number, offender id, and the Prisoner Search document.
  const offenders = new Map<string, { o: PrisonOffender; offenderId: number }>();
  const documents = new Map<string, render.RenderedPrisoner>();
  options.population.prisons.forEach((o, i) => {
    const offenderId = 1_000_000 + i * 10;
    offenders.set(o.offenderNo, { o, offenderId });
    documents.set(o.offenderNo, render.prisoner(o, offenderId));
  });
  const allDocuments = [...documents.values()].sort((a, b) => a.prisonerNumber.localeCompare(b.prisonerNumber));
  const prisonRows = render.prisonList();

  const withOffender = (fn: (o: PrisonOffender, offenderId: number) => unknown): Handler => (m) => {
    const hit = offenders.get(m[1].toUpperCase());
    return hit ? { status: 200, body: fn(hit.o, hit.offenderId) } : notFound(m[1]);
  };

  const routes: Route[] = [
    { method: 'GET', operation: 'GET /api/offenders/{offenderNo}', pattern: new RegExp(`^/api/offenders/(${OFFENDER_NO})$`), handle: withOffender((o, id) => render.inmateDetail(o, id, ref, true)) },
    { method: 'GET', operation: 'GET /api/bookings/offenderNo/{offenderNo}', pattern: new RegExp(`^/api/bookings/offenderNo/(${OFFENDER_NO})$`), handle: withOffender((o, id) => render.inmateDetail(o, id, ref, false)) },
    { method: 'GET', operation: 'GET /api/offenders/{offenderNo}/sentences', pattern: new RegExp(`^/api/offenders/(${OFFENDER_NO})/sentences$`), handle: withOffender((o, id) => render.sentences(o, id)) },
    { method: 'GET', operation: 'GET /api/offenders/{offenderNo}/aliases', pattern: new RegExp(`^/api/offenders/(${OFFENDER_NO})/aliases$`), handle: withOffender((o, id) => render.aliases(o, id)) },
    { method: 'GET', operation: 'GET /api/offenders/{offenderNo}/offender-identifiers', pattern: new RegExp(`^/api/offenders/(${OFFENDER_NO})/offender-identifiers$`), handle: withOffender((o, id) => render.offenderIdentifiers(o, id)) },
    { method: 'GET', operation: 'GET /api/agencies/prisons', pattern: /^\/api\/agencies\/prisons$/, handle: () => ({ status: 200, body: prisonRows }) },
    {
      method: 'POST', operation: 'POST /prisoner-search/prisoner-numbers', pattern: /^\/prisoner-search\/prisoner-numbers$/,
      handle: (_m, body) => {
        const numbers = (body as { prisonerNumbers?: unknown })?.prisonerNumbers;
        if (!Array.isArray(numbers) || numbers.length === 0 || numbers.length > 1000) throw new BadQuery('prisonerNumbers must hold 1 to 1000 prisoner numbers');
        return { status: 200, body: numbers.map((n) => documents.get(String(n).toUpperCase())).filter(Boolean) };
      },
    },
    {
      // Prisoner Alerts API retrievePrisonerAlerts: a JSON array of prison numbers (uniqueItems), AlertsResponse back.
      method: 'POST', operation: 'POST /search/alerts/prison-numbers', pattern: /^\/search\/alerts\/prison-numbers$/,
      handle: (_m, body, url) => {
        if (!Array.isArray(body) || body.some((n) => typeof n !== 'string')) throw new BadQuery('The request body must be a list of prison numbers');
        const includeInactive = url.searchParams.get('includeInactive') === 'true';
        const content = [...new Set(body.map((n: string) => n.toUpperCase()))].flatMap((n) => {
          const hit = offenders.get(n);
          return hit ? render.alerts(hit.o, ref).filter((a) => includeInactive || a.isActive) : [];
        });
        return { status: 200, body: { content } };
      },
    },
    {
      // Prisoner Search establishment search: the roll of one prison, optionally one wing, landing or cell
      // (`cellLocationPrefix` with or without the prison id: HEI-3-1 and 3-1 are the same at HEI), paged.
      method: 'GET', operation: 'GET /prison/{prisonId}/prisoners', pattern: /^\/prison\/([A-Z]{3})\/prisoners$/,
      handle: (m, _body, url) => {
        const prisonId = m[1];
        const prefix = (url.searchParams.get('cellLocationPrefix') ?? '').toUpperCase().replace(new RegExp(`^${prisonId}-`), '');
        const page = Number(url.searchParams.get('page') ?? 0);
        const size = Number(url.searchParams.get('size') ?? 10);
        if (!Number.isInteger(page) || page < 0 || !Number.isInteger(size) || size < 1 || size > 3000) throw new BadQuery('page must be 0 or more and size 1 to 3000');
        const roll = allDocuments.filter((d) => d.prisonId === prisonId && (!prefix || (d.cellLocation ?? '').startsWith(prefix)))
          .sort((a, b) => (a.cellLocation ?? '').localeCompare(b.cellLocation ?? '') || a.prisonerNumber.localeCompare(b.prisonerNumber));
        const content = roll.slice(page * size, (page + 1) * size);
        const totalPages = Math.ceil(roll.length / size);
        return { status: 200, body: { content, totalElements: roll.length, totalPages, number: page, size, numberOfElements: content.length, first: page === 0, last: page >= totalPages - 1, empty: content.length === 0 } };
      },
    },
    { method: 'POST', operation: 'POST /prisoner-search/possible-matches', pattern: /^\/prisoner-search\/possible-matches$/, handle: (_m, body) => ({ status: 200, body: possibleMatches(allDocuments, documents, body) }) },
    { method: 'POST', operation: 'POST /attribute-search', pattern: /^\/attribute-search$/, handle: (_m, body) => ({ status: 200, body: attributeSearch(allDocuments, body) }) },
  ];

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    const path = url.pathname;
    const isToken = path === '/auth/oauth/token';
    const route = routes.find((r) => r.method === req.method && r.pattern.test(path));
    requests.count(isToken ? 'POST /auth/oauth/token' : route?.operation ?? 'UNKNOWN');

    const outcome: FaultOutcome = await faults.apply();
    if (outcome === 'down') return send(res, 503, null, 'Service Unavailable');
    if (outcome === 'error') return send(res, 500, errorBody(500, 'Unexpected error', 'ORA-01013: user requested cancel of current operation'));
    if (isToken) {
      if (!tokens.handleTokenRequest(req, res)) send(res, 405, errorBody(405, 'Method not allowed'));
      return;
    }
    if (!tokens.isAuthorised(req)) return send(res, 401, errorBody(401, 'Unauthorised', 'A valid bearer token is required'));
    if (!route) return send(res, 404, errorBody(404, 'No resource found', `No handler for ${req.method} ${path}`));

    const m = route.pattern.exec(path)!;
    let result: { status: number; body: unknown };
    try {
      result = route.handle(m, req.method === 'POST' ? await readBody(req) : undefined, url);
    } catch (err) {
      if (err instanceof BadQuery) return send(res, 400, errorBody(400, err.message));
      throw err;
    }
    if (outcome === 'malformed' && result.status === 200) return send(res, 200, null, malformed(structuredClone(result.body)));
    if (result.status === 200 && faults.current.malformedRecords.length) {
      const body = structuredClone(result.body);
      faults.breakRecords(body, (r) => r.prisonerNumber ?? r.offenderNo, 'lastName');
      return send(res, 200, body);
    }
    send(res, result.status, result.body);
  };

  const server = createServer((req, res) => {
    answer(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, errorBody(500, 'Unexpected error'));
      else res.destroy();
    });
  });
  const { base, close } = await listen(server, options);

  return {
    agency: 'prisons',
    location: base,
    env: {
      PRISONS_URL: base,
      PRISONS_SEARCH_URL: base,
      PRISONS_ALERTS_URL: base,
      PRISONS_AUTH_URL: `${base}/auth`,
      PRISONS_CLIENT_ID: CLIENT_ID,
      PRISONS_CLIENT_SECRET: clientSecret,
    },
    faults,
    requests,
    tokens,
    close,
  };
}

export const startStandIn: StartStandIn = startPrisonsStandIn;

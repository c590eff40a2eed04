// Stand-in for the probation offender search service (nDelius), following probation-offender-search.json:
// POST /crns, POST /nomsNumbers, POST /match, POST /search and the paged POST /search/people, behind an
// HMPPS Auth style bearer token (POST /auth/oauth/token). Registrations, requirements and licence
// conditions are not in the search contract: POST /secure/offenders/crns/supervision is a STAND-IN
// EXTENSION that batches, per CRN, the Community API shapes of GET /secure/offenders/crn/{crn}/registrations,
// …/convictions/{id}/requirements and …/convictions/{id}/licenceConditions.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../http.js';
import { croSearchKey, pncSearchKey } from '../identifiers.js';
import { indexedName as nameKey } from '../names.js';
import { FaultControl, RequestCounter, type StandIn, type StandInOptions, type StartStandIn } from '../faults.js';
import { TokenIssuer } from '../oauth.js';
import type { ProbationOffender } from '../population.js';

/** Operation names counted in `requests`. */
export const OPERATIONS = {
  token: 'POST /auth/oauth/token',
  crns: 'POST /crns',
  nomsNumbers: 'POST /nomsNumbers',
  match: 'POST /match',
  search: 'POST /search',
  searchPeople: 'POST /search/people',
  phrase: 'POST /phrase',
  supervision: 'POST /secure/offenders/crns/supervision',
  // Stand-in extension in the shape of the Community API's managed-offenders endpoint.
  caseload: 'GET /secure/staff/staffCode/{staffCode}/caseload/managedOffenders',
  health: 'GET /health/ping',
  unknown: 'UNKNOWN',
} as const;

const CASELOAD_PATH = /^\/secure\/staff\/staffCode\/([A-Za-z0-9]{1,20})\/caseload\/managedOffenders$/;

export interface ProbationStandInOptions extends StandInOptions {
  /** Token lifetime; HMPPS Auth uses 20 minutes. */
  tokenTtlSeconds?: number;
}

export interface ProbationStandIn extends StandIn {
  /** The token side, so tests can expire every token and watch the adapter refresh. */
  tokens: TokenIssuer;
}

type Json = Record<string, unknown>;
const MAX_BODY = 1_000_000;
const MAX_BATCH = 512; // the spec's limit on POST /crns

const REQUIREMENT_CODES: Record<string, string> = {
  'Unpaid Work': 'W', 'Rehabilitation Activity Requirement (RAR)': 'F', Curfew: 'J', 'Drug Rehabilitation': 'D', 'Alcohol Treatment': 'R',
};

function error(res: ServerResponse, status: number, userMessage: string, developerMessage: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status, errorCode: null, userMessage, developerMessage, moreInfo: null }));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

function ageOn(dob: string, today: string): number {
  const [by, bm, bd] = dob.split('-').map(Number);
  const [y, m, d] = today.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** OffenderDetail as the search service renders it: a fresh object each time, so faults can mutate it. */
function offenderDetail(p: ProbationOffender, today: string): Json {
  const om = p.offenderManager;
  const mappa = p.registrations.find((r) => r.active && r.typeCode === 'MAPP');
  const colours = ['Red', 'Amber', 'Green', 'White'];
  const riskColour = p.registrations.filter((r) => r.active).map((r) => r.riskColour).sort((a, b) => colours.indexOf(a) - colours.indexOf(b))[0] ?? null;
  return {
    offenderId: p.offenderId,
    title: null,
    firstName: p.forenames[0] ?? null,
    middleNames: p.middleNames,
    surname: p.surname,
    previousSurname: null,
    dateOfBirth: p.dateOfBirth,
    gender: p.sex === 'M' ? 'Male' : 'Female',
    otherIds: { crn: p.crn, pncNumber: p.pnc, croNumber: p.cro, niNumber: null, nomsNumber: p.nomsNumber, immigrationNumber: null, mostRecentPrisonerNumber: p.nomsNumber, previousCrn: null },
    contactDetails: { allowSMS: false, emailAddresses: [], phoneNumbers: [], addresses: [] },
    offenderProfile: { ethnicity: null, nationality: 'British', notes: p.officerNotes, riskColour, offenderLanguages: { primaryLanguage: 'English' }, disabilities: [], provisions: [] },
    offenderAliases: [],
    offenderManagers: [{
      staff: { code: om.staffCode, forenames: om.forenames, surname: om.surname, unallocated: false },
      trustOfficer: { forenames: om.forenames, surname: om.surname },
      partitionArea: 'National Data',
      softDeleted: false,
      team: { code: om.teamCode, description: om.teamDescription, telephone: null, localDeliveryUnit: { code: `${om.probationAreaCode}LDU1`, description: om.teamDescription.replace(/ OMU$/, '') }, district: null, borough: null },
      probationArea: { probationAreaId: Number(om.probationAreaCode.slice(1)) + 1500, code: om.probationAreaCode, description: om.probationAreaDescription, nps: true, organisation: null, institution: null, teams: null },
      fromDate: p.registrations[0]?.startDate ?? null,
      toDate: null,
      active: true,
      allocationReason: { code: 'IA', description: 'Initial Allocation' },
    }],
    softDeleted: false,
    currentDisposal: '1',
    partitionArea: 'National Data',
    currentRestriction: p.currentRestriction,
    restrictionMessage: p.restrictionMessage,
    currentExclusion: p.currentExclusion,
    exclusionMessage: p.exclusionMessage,
    currentTier: null,
    activeProbationManagedSentence: true,
    mappa: mappa ? { level: Number(mappa.registerLevel?.slice(1) ?? 0), levelDescription: `MAPPA Level ${mappa.registerLevel?.slice(1)}`, category: 2, categoryDescription: 'MAPPA Cat 2', startDate: mappa.startDate, reviewDate: mappa.nextReviewDate, team: null, officer: null, probationArea: null, notes: null } : null,
    probationStatus: { status: 'CURRENT', previouslyKnownTerminationDate: null, inBreach: false, preSentenceActivity: false, awaitingPsr: false },
    age: p.dateOfBirth ? ageOn(p.dateOfBirth, today) : null,
  };
}

/** Community API shapes for one offender's registrations, requirements and licence conditions. */
function supervisionDetail(p: ProbationOffender): Json {
  const om = p.offenderManager;
  return {
    crn: p.crn,
    registrations: p.registrations.map((r) => ({
      registrationId: r.registrationId, offenderId: p.offenderId,
      register: r.typeCode === 'MAPP' ? { code: '5', description: 'Public Protection' } : { code: '1', description: 'RoSH' },
      type: { code: r.typeCode, description: r.typeDescription },
      riskColour: r.riskColour, startDate: r.startDate, nextReviewDate: r.nextReviewDate, reviewPeriodMonths: 6, notes: null,
      registeringTeam: { code: om.teamCode, description: om.teamDescription },
      registeringOfficer: { code: om.staffCode, forenames: om.forenames, surname: om.surname },
      registeringProbationArea: { code: om.probationAreaCode, description: om.probationAreaDescription },
      registerLevel: r.registerLevel ? { code: r.registerLevel, description: `MAPPA Level ${r.registerLevel.slice(1)}` } : null,
      registerCategory: r.registerLevel ? { code: 'M2', description: 'MAPPA Cat 2' } : null,
      warnUser: false, active: r.active,
    })),
    requirements: p.requirements.map((r) => ({
      requirementId: r.requirementId, startDate: r.startDate, terminationDate: null, length: r.length, lengthUnit: r.length == null ? null : r.category === 'Unpaid Work' ? 'Hours' : 'Days',
      active: r.active, requirementTypeMainCategory: { code: REQUIREMENT_CODES[r.category] ?? 'X', description: r.category }, requirementTypeSubCategory: { code: `${REQUIREMENT_CODES[r.category] ?? 'X'}01`, description: r.subCategory },
    })),
    licenceConditions: p.licenceConditions.map((c) => ({
      licenceConditionId: c.conditionId, licenceConditionNotes: c.detail, startDate: c.startDate, commencementDate: c.startDate, active: c.active,
      licenceConditionTypeMainCat: { code: c.code, description: c.description }, licenceConditionTypeSubCat: { code: `${c.code}A`, description: c.description },
    })),
  };
}

const keyPnc = pncSearchKey;
const keyCro = croSearchKey;

/** SearchDto semantics: every supplied attribute must match; PNCs match across long and short forms. */
function matchesSearch(p: ProbationOffender, dto: Json): boolean {
  const s = (k: string) => (typeof dto[k] === 'string' && (dto[k] as string).trim() !== '' ? (dto[k] as string).trim() : null);
  const surname = s('surname'), firstName = s('firstName'), dob = s('dateOfBirth'), pnc = s('pncNumber'), cro = s('croNumber'), crn = s('crn'), noms = s('nomsNumber');
  if (surname && nameKey(p.surname) !== nameKey(surname)) return false;
  if (firstName && nameKey(p.forenames[0]) !== nameKey(firstName)) return false;
  if (dob && p.dateOfBirth !== dob) return false;
  if (pnc && (!p.pnc || keyPnc(p.pnc) !== keyPnc(pnc))) return false;
  if (cro && (!p.cro || keyCro(p.cro) !== keyCro(cro))) return false;
  if (crn && p.crn !== crn.toUpperCase()) return false;
  if (noms && p.nomsNumber !== noms.toUpperCase()) return false;
  return true;
}

/** /phrase: does one term of a search phrase match the offender (names, date of birth, CRN, NOMS number, PNC, CRO)? */
function matchesTerm(p: ProbationOffender, term: string): boolean {
  const t = term.trim();
  if (!t) return false;
  const upper = t.toUpperCase();
  if (p.crn === upper || p.nomsNumber === upper) return true;
  if (p.pnc && keyPnc(p.pnc) === keyPnc(t)) return true;
  if (p.cro && keyCro(p.cro) === keyCro(t)) return true;
  const dmy = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  if (p.dateOfBirth && (p.dateOfBirth === t || (dmy && p.dateOfBirth === `${dmy[3]}-${dmy[2]}-${dmy[1]}`))) return true;
  const k = nameKey(t);
  return k.length > 1 && [p.surname, ...p.forenames].some((n) => nameKey(n) === k);
}

/** Breaks a payload the way a faulty service does: an impossible date in the first record, else truncated JSON. */
function malformed(payload: unknown): string {
  const records: Json[] = Array.isArray(payload) ? payload : (payload as Json)?.content as Json[] ?? ((payload as Json)?.matches as Json[] | undefined)?.map((m) => m.offender as Json) ?? [];
  const first = records[0];
  if (first && 'dateOfBirth' in first) {
    first.dateOfBirth = `${String(first.dateOfBirth ?? '1980').slice(0, 4)}-02-30`;
    return JSON.stringify(payload);
  }
  const reg = (first?.registrations as Json[] | undefined)?.[0];
  if (reg) {
    reg.startDate = `${String(reg.startDate).slice(0, 4)}-13-45`;
    return JSON.stringify(payload);
  }
  const full = JSON.stringify(payload);
  return full.slice(0, Math.max(1, Math.floor(full.length / 2)));
}

function page(all: ProbationOffender[], url: URL, today: string): Json | null {
  const pageNo = Number(url.searchParams.get('page') ?? 0);
  const size = Number(url.searchParams.get('size') ?? 10);
  if (!Number.isInteger(pageNo) || pageNo < 0 || !Number.isInteger(size) || size < 1 || size > 1000) return null;
  const content = all.slice(pageNo * size, pageNo * size + size).map((p) => offenderDetail(p, today));
  const totalPages = Math.ceil(all.length / size);
  const sort = { empty: false, sorted: true, unsorted: false };
  return {
    content,
    pageable: { offset: pageNo * size, pageSize: size, pageNumber: pageNo, paged: true, unpaged: false, sort },
    total: all.length, totalElements: all.length, totalPages,
    last: pageNo >= totalPages - 1, first: pageNo === 0, empty: content.length === 0,
    size, number: pageNo, numberOfElements: content.length, sort,
    page: { size, number: pageNo, totalElements: all.length, totalPages },
  };
}

/** /match: the best group of matches, tried from strictest to loosest, as the real service reports in `matchedBy`. */
function match(all: ProbationOffender[], req: Json): Json {
  const tiers: [string, Json][] = [
    ['ALL_SUPPLIED', req],
    ['HMPPS_KEY', { nomsNumber: req.nomsNumber }],
    ['EXTERNAL_KEY', { pncNumber: req.pncNumber }],
    ['EXTERNAL_KEY', { croNumber: req.croNumber }],
    ['NAME', { surname: req.surname, firstName: req.firstName, dateOfBirth: req.dateOfBirth }],
    ['PARTIAL_NAME', { surname: req.surname, dateOfBirth: req.dateOfBirth }],
  ];
  for (const [matchedBy, dto] of tiers) {
    const supplied = Object.values(dto).some((v) => typeof v === 'string' && v.trim() !== '');
    if (!supplied || (matchedBy !== 'ALL_SUPPLIED' && matchedBy.startsWith('PARTIAL') && !dto.dateOfBirth)) continue;
    const found = all.filter((p) => matchesSearch(p, dto));
    if (found.length) return { matches: found, matchedBy };
  }
  return { matches: [], matchedBy: 'NOTHING' };
}

export async function startProbationStandIn(options: ProbationStandInOptions): Promise<ProbationStandIn> {
  const today = options.population.referenceDate;
  const people = [...options.population.probation].sort((a, b) => a.surname.localeCompare(b.surname) || (a.forenames[0] ?? '').localeCompare(b.forenames[0] ?? '') || a.crn.localeCompare(b.crn));
  const byCrn = new Map(people.map((p) => [p.crn, p]));
  const byNoms = new Map(people.filter((p) => p.nomsNumber).map((p) => [p.nomsNumber!, p]));
  const faults = new FaultControl(options.faultSeed ?? 1);
  const requests = new RequestCounter();
  const clientId = 'justice-graph-probation';
  const clientSecret = randomBytes(16).toString('hex');
  const tokens = new TokenIssuer({ clientId, clientSecret, ttlSeconds: options.tokenTtlSeconds });

  const operationOf = (method: string, path: string): string => {
    if (method === 'GET' && CASELOAD_PATH.test(path)) return OPERATIONS.caseload;
    const op = Object.values(OPERATIONS).find((o) => o === `${method} ${path}`);
    return op ?? OPERATIONS.unknown;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    const op = operationOf(req.method ?? 'GET', url.pathname);
    requests.count(op);
    const outcome = await faults.apply();
    if (outcome === 'down') return error(res, 503, 'Service unavailable', 'The offender search service is down');
    if (outcome === 'error') return error(res, 500, 'Unexpected error', 'Internal server error');
    if (op === OPERATIONS.token) { tokens.handleTokenRequest(req, res); return; } // HMPPS Auth is not broken by the search service's malformed fault
    if (op === OPERATIONS.health) { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'UP' })); return; }
    if (op === OPERATIONS.unknown) return error(res, 404, 'Not found', `No handler for ${req.method} ${url.pathname}`);
    if (!tokens.isAuthorised(req)) return error(res, 401, 'Unauthorised', 'A valid bearer token is required (missing, unknown or expired)');
    if (op === OPERATIONS.caseload) {
      const staffCode = CASELOAD_PATH.exec(url.pathname)![1].toUpperCase();
      const managed = people.filter((p) => p.offenderManager.staffCode === staffCode)
        .map((p) => ({ crnNumber: p.crn, nomsNumber: p.nomsNumber, offenderSurname: p.surname, staffCode, allocationDate: null }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(outcome === 'malformed' ? malformed(managed) : JSON.stringify(managed));
      return;
    }

    let body: unknown;
    try { body = await readJson(req); } catch { return error(res, 400, 'Invalid request', 'Request body is not valid JSON'); }
    let payload: unknown;
    const strings = Array.isArray(body) && body.every((x) => typeof x === 'string') ? (body as string[]) : null;
    switch (op) {
      case OPERATIONS.crns:
      case OPERATIONS.supervision:
        if (!strings) return error(res, 400, 'Invalid request', 'Expected a list of CRNs');
        if (strings.length > MAX_BATCH) return error(res, 500, 'Unexpected error', `The list of CRNs provided exceeds the maximum of ${MAX_BATCH}`);
        payload = [...new Set(strings.map((c) => c.trim().toUpperCase()))].map((c) => byCrn.get(c)).filter((p) => p !== undefined)
          .map((p) => (op === OPERATIONS.crns ? offenderDetail(p, today) : supervisionDetail(p)));
        break;
      case OPERATIONS.nomsNumbers:
        if (!strings) return error(res, 400, 'Invalid request', 'Expected a list of NOMS numbers');
        payload = [...new Set(strings.map((c) => c.trim().toUpperCase()))].map((n) => byNoms.get(n)).filter((p) => p !== undefined).map((p) => offenderDetail(p, today));
        break;
      case OPERATIONS.search:
      case OPERATIONS.searchPeople: {
        const dto = (body ?? {}) as Json;
        const criteria = ['surname', 'firstName', 'dateOfBirth', 'pncNumber', 'croNumber', 'crn', 'nomsNumber'].filter((k) => typeof dto[k] === 'string' && (dto[k] as string).trim() !== '');
        if (typeof body !== 'object' || Array.isArray(body) || criteria.length === 0) return error(res, 400, 'Invalid request', 'At least one search criterion is required');
        const found = people.filter((p) => matchesSearch(p, dto));
        if (op === OPERATIONS.search) { payload = found.map((p) => offenderDetail(p, today)); break; }
        payload = page(found, url, today);
        if (!payload) return error(res, 400, 'Invalid request', 'page must be >= 0 and size between 1 and 1000');
        break;
      }
      case OPERATIONS.phrase: {
        const f = (body ?? {}) as Json;
        if (typeof f.phrase !== 'string' || f.phrase.trim() === '' || typeof f.matchAllTerms !== 'boolean') return error(res, 400, 'Invalid request', 'phrase and matchAllTerms are required');
        const terms = f.phrase.split(/\s+/).filter((t) => t !== '');
        const found = people.filter((p) => (f.matchAllTerms ? terms.every((t) => matchesTerm(p, t)) : terms.some((t) => matchesTerm(p, t))));
        payload = page(found, url, today);
        if (!payload) return error(res, 400, 'Invalid request', 'page must be >= 0 and size between 1 and 1000');
        break;
      }
      case OPERATIONS.match: {
        const m = (body ?? {}) as Json;
        if (typeof m.surname !== 'string' || m.surname.trim() === '') return error(res, 400, 'Invalid request', 'surname is required');
        const result = match(people, m);
        payload = { matchedBy: result.matchedBy, matches: (result.matches as ProbationOffender[]).map((p) => ({ offender: offenderDetail(p, today) })) };
        break;
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(outcome === 'malformed' ? malformed(payload) : JSON.stringify(payload));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => { if (!res.headersSent) error(res, 500, 'Unexpected error', 'Internal server error'); else res.destroy(); });
  });
  const { base, close } = await listen(server, options);
  return {
    agency: 'probation',
    location: base,
    env: { PROBATION_URL: base, PROBATION_AUTH_URL: `${base}/auth`, PROBATION_CLIENT_ID: clientId, PROBATION_CLIENT_SECRET: clientSecret },
    faults,
    requests,
    tokens,
    close,
  };
}

export const startStandIn: StartStandIn = startProbationStandIn;

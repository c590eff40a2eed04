// Stand-in for the probation systems (nDelius), answering only what their contracts declare:
//  - the probation offender search service (reference/openapi/probation-offender-search.json): POST /crns,
//    POST /nomsNumbers, POST /match, POST /search, the paged POST /search/people, POST /phrase and POST /ldu-codes;
//  - the nDelius integration API (reference/openapi/ndelius.json): POST /search/probation-cases (no
//    offenderId), GET /case/{crn}/supervisions (one case per call), GET and POST /probation-cases/access
//    (per-user limited access);
//  - the STAND-IN EXTENSION (reference/openapi/ndelius-extensions.json), for what no public contract
//    offers: GET /staff/{staffCode}/caseload and POST /probation-cases/conditions (requirements and
//    licence conditions, in the retired Community API's shapes);
// all behind an HMPPS Auth style bearer token (POST /auth/oauth/token). Any other path is a 404.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../http.js';
import { croSearchKey, pncSearchKey } from '../identifiers.js';
import { indexedName as nameKey } from '../names.js';
import { FaultControl, RequestCounter, type StandIn, type StandInOptions, type StartStandIn } from '../faults.js';
import { TokenIssuer } from '../oauth.js';
import type { ProbationOffender } from '../population.js';

/** Operation names counted in `requests`: method and the path template of the contract that declares it. */
export const OPERATIONS = {
  token: 'POST /auth/oauth/token',
  crns: 'POST /crns',
  nomsNumbers: 'POST /nomsNumbers',
  match: 'POST /match',
  search: 'POST /search',
  searchPeople: 'POST /search/people',
  phrase: 'POST /phrase',
  lduCodes: 'POST /ldu-codes',
  probationCases: 'POST /search/probation-cases',
  supervisions: 'GET /case/{crn}/supervisions',
  access: 'POST /probation-cases/access',
  accessGet: 'GET /probation-cases/access',
  // Stand-in extensions (reference/openapi/ndelius-extensions.json).
  caseload: 'GET /staff/{staffCode}/caseload',
  conditions: 'POST /probation-cases/conditions',
  unknown: 'UNKNOWN',
} as const;

const ROUTES: { method: string; pattern: RegExp; op: string }[] = [
  { method: 'POST', pattern: /^\/auth\/oauth\/token$/, op: OPERATIONS.token },
  { method: 'POST', pattern: /^\/crns$/, op: OPERATIONS.crns },
  { method: 'POST', pattern: /^\/nomsNumbers$/, op: OPERATIONS.nomsNumbers },
  { method: 'POST', pattern: /^\/match$/, op: OPERATIONS.match },
  { method: 'POST', pattern: /^\/search$/, op: OPERATIONS.search },
  { method: 'POST', pattern: /^\/search\/people$/, op: OPERATIONS.searchPeople },
  { method: 'POST', pattern: /^\/phrase$/, op: OPERATIONS.phrase },
  { method: 'POST', pattern: /^\/ldu-codes$/, op: OPERATIONS.lduCodes },
  { method: 'POST', pattern: /^\/search\/probation-cases$/, op: OPERATIONS.probationCases },
  { method: 'GET', pattern: /^\/case\/([^/]{1,20})\/supervisions$/, op: OPERATIONS.supervisions },
  { method: 'POST', pattern: /^\/probation-cases\/access$/, op: OPERATIONS.access },
  { method: 'GET', pattern: /^\/probation-cases\/access$/, op: OPERATIONS.accessGet },
  { method: 'GET', pattern: /^\/staff\/([A-Za-z0-9]{1,20})\/caseload$/, op: OPERATIONS.caseload },
  { method: 'POST', pattern: /^\/probation-cases\/conditions$/, op: OPERATIONS.conditions },
];

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
const MAX_CRN_REQUEST = 500; // CrnRequest.crns maxItems in ndelius.json

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

/** The local delivery unit of a case's offender manager's team (one per probation area here). */
export const lduCode = (p: ProbationOffender) => `${p.offenderManager.probationAreaCode}LDU1`;

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
      // nDelius's placeholder officer: a staff code ending in U, named "Unallocated Staff".
      staff: p.unallocated ? { code: unallocatedCode(om), forenames: 'Unallocated', surname: 'Staff', unallocated: true } : { code: om.staffCode, forenames: om.forenames, surname: om.surname, unallocated: false },
      trustOfficer: p.unallocated ? { forenames: 'Unallocated', surname: 'Staff' } : { forenames: om.forenames, surname: om.surname },
      partitionArea: 'National Data',
      softDeleted: false,
      team: { code: om.teamCode, description: om.teamDescription, telephone: null, localDeliveryUnit: { code: lduCode(p), description: om.teamDescription.replace(/ OMU$/, '') }, district: null, borough: null },
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

const unallocatedCode = (om: ProbationOffender['offenderManager']) => `${om.teamCode.slice(0, 6)}U`;

/** nDelius `ProbationCaseDetail` (POST /search/probation-cases): the successor payload, with no offenderId and no managers. */
function probationCaseDetail(p: ProbationOffender, today: string): Json {
  return {
    otherIds: { crn: p.crn, pncNumber: p.pnc ?? undefined, nomsNumber: p.nomsNumber ?? undefined, croNumber: p.cro ?? undefined },
    firstName: p.forenames[0], surname: p.surname, dateOfBirth: p.dateOfBirth ?? undefined, gender: p.sex === 'M' ? 'Male' : 'Female',
    middleNames: p.middleNames,
    offenderProfile: { nationality: 'British', disabilities: [] },
    offenderAliases: [],
    activeProbationManagedSentence: true,
    currentRestriction: p.currentRestriction, restrictionMessage: p.restrictionMessage ?? undefined,
    currentExclusion: p.currentExclusion, exclusionMessage: p.exclusionMessage ?? undefined,
    age: p.dateOfBirth ? ageOn(p.dateOfBirth, today) : undefined,
  };
}

/**
 * nDelius `SupervisionResponse` (GET /case/{crn}/supervisions): the community manager, MAPPA, and the
 * active registrations as dynamic risks; nDelius lists only current registrations here.
 */
function supervisionResponse(p: ProbationOffender): Json {
  const om = p.offenderManager;
  const active = p.registrations.filter((r) => r.active);
  const mappa = active.find((r) => r.typeCode === 'MAPP');
  const level = mappa?.registerLevel ? Number(mappa.registerLevel.slice(1)) : null;
  return {
    communityManager: {
      code: p.unallocated ? unallocatedCode(om) : om.staffCode,
      name: p.unallocated ? { forename: 'Unallocated', surname: 'Staff' } : { forename: om.forenames.split(' ')[0], surname: om.surname, middleName: om.forenames.split(' ').slice(1).join(' ') || undefined },
      team: { code: om.teamCode, description: om.teamDescription, provider: { code: om.probationAreaCode, description: om.probationAreaDescription } },
      allocated: !p.unallocated,
    },
    ...(mappa && level != null ? { mappaDetail: { level, levelDescription: `MAPPA Level ${level}`, category: 2, categoryDescription: 'MAPPA Cat 2', startDate: mappa.startDate, reviewDate: mappa.nextReviewDate ?? undefined } } : {}),
    supervisions: [],
    dynamicRisks: active.filter((r) => r.typeCode !== 'MAPP').map((r) => ({ code: r.typeCode, description: r.typeDescription, startDate: r.startDate, reviewDate: r.nextReviewDate ?? undefined })),
    personStatus: [],
  };
}

/** Stand-in extension: one case's requirements and licence conditions in the retired Community API's shapes. */
function caseConditions(p: ProbationOffender): Json {
  return {
    crn: p.crn,
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

/**
 * nDelius `CaseAccess` for one user and case: excluded when the case names the user among those it
 * excludes; restricted when the case is restricted and does not name the user among those it is
 * restricted to. Without a username, whether the case has any exclusion or restriction at all.
 */
function caseAccess(p: ProbationOffender, username: string | null): Json {
  const same = (list: string[] | undefined) => username !== null && (list ?? []).some((u) => u.toLowerCase() === username.toLowerCase());
  const userExcluded = p.currentExclusion && (username === null || same(p.excludedUsers));
  const userRestricted = p.currentRestriction && (username === null || !same(p.restrictedToUsers));
  return {
    crn: p.crn, userExcluded, userRestricted,
    ...(userExcluded && p.exclusionMessage ? { exclusionMessage: p.exclusionMessage } : {}),
    ...(userRestricted && p.restrictionMessage ? { restrictionMessage: p.restrictionMessage } : {}),
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

/** /phrase: does one term of a search phrase match the offender (names, fuzzily; date of birth, CRN, NOMS number, PNC, CRO)? */
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
  return k.length > 1 && [p.surname, ...p.forenames].some((n) => nameKey(n) === k || fuzzyTermMatch(nameKey(n), k));
}

/**
 * A name term as a search engine with fuzzy matching takes it (fuzziness AUTO: no edit for terms of one
 * or two letters, one edit for three to five, two for longer; a transposition counts as one edit).
 * The stand-in's own edit distance, kept apart from the adapters' code.
 */
function fuzzyTermMatch(indexed: string, term: string): boolean {
  const allowed = term.length <= 2 ? 0 : term.length <= 5 ? 1 : 2;
  if (allowed === 0 || Math.abs(indexed.length - term.length) > allowed) return false;
  const d: number[][] = Array.from({ length: indexed.length + 1 }, (_, i) => [i, ...new Array(term.length).fill(0)]);
  for (let j = 1; j <= term.length; j++) d[0][j] = j;
  for (let i = 1; i <= indexed.length; i++) {
    for (let j = 1; j <= term.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (indexed[i - 1] === term[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && indexed[i - 1] === term[j - 2] && indexed[i - 2] === term[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[indexed.length][term.length] <= allowed;
}

/** Breaks a payload the way a faulty service does: an unreadable first record (no surname), an impossible date in the first risk, else truncated JSON. */
function malformed(payload: unknown): string {
  const records: Json[] = Array.isArray(payload) ? payload : (payload as Json)?.content as Json[] ?? ((payload as Json)?.matches as Json[] | undefined)?.map((m) => m.offender as Json) ?? [];
  const first = records[0];
  // An offender loses its surname: an impossible date of birth alone no longer costs a record.
  if (first && 'surname' in first) {
    first.surname = '';
    return JSON.stringify(payload);
  }
  const risk = ((payload as Json)?.dynamicRisks as Json[] | undefined)?.[0];
  if (risk) {
    risk.startDate = `${String(risk.startDate).slice(0, 4)}-13-45`;
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

  const send = (res: ServerResponse, answer: unknown, outcome: string): void => {
    const payload = faults.current.malformedRecords.length ? structuredClone(answer) : answer;
    faults.breakRecords(payload, (r) => (r.otherIds as Json | undefined)?.crn);
    res.writeHead(200, { 'content-type': 'application/json' }).end(outcome === 'malformed' ? malformed(payload) : JSON.stringify(payload));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    const op = route?.op ?? OPERATIONS.unknown;
    const param = route ? route.pattern.exec(url.pathname)![1] : undefined;
    requests.count(op);
    const outcome = await faults.apply();
    if (outcome === 'down') return error(res, 503, 'Service unavailable', 'The probation service is down');
    if (outcome === 'error') return error(res, 500, 'Unexpected error', 'Internal server error');
    if (op === OPERATIONS.token) { tokens.handleTokenRequest(req, res); return; } // HMPPS Auth is not broken by the search service's malformed fault
    if (op === OPERATIONS.unknown) return error(res, 404, 'Not found', `No handler for ${req.method} ${url.pathname}`);
    if (!tokens.isAuthorised(req)) return error(res, 401, 'Unauthorised', 'A valid bearer token is required (missing, unknown or expired)');
    if (op === OPERATIONS.caseload) {
      const staffCode = param!.toUpperCase();
      const cases = people.filter((p) => !p.unallocated && p.offenderManager.staffCode === staffCode).map((p) => ({ crn: p.crn }));
      return send(res, { code: staffCode, cases }, outcome);
    }
    if (op === OPERATIONS.supervisions) {
      const p = byCrn.get(decodeURIComponent(param!).toUpperCase());
      if (!p) return error(res, 404, 'Not found', 'Probation case not found');
      return send(res, supervisionResponse(p), outcome);
    }

    let body: unknown;
    try { body = await readJson(req); } catch { return error(res, 400, 'Invalid request', 'Request body is not valid JSON'); }
    let payload: unknown;
    const strings = Array.isArray(body) && body.every((x) => typeof x === 'string') ? (body as string[]) : null;
    const crnRequest = (): string[] | null => {
      const crns = (body as Json | null)?.crns;
      return Array.isArray(crns) && crns.length >= 1 && crns.length <= MAX_CRN_REQUEST && crns.every((c) => typeof c === 'string') ? (crns as string[]) : null;
    };
    switch (op) {
      case OPERATIONS.crns:
        if (!strings) return error(res, 400, 'Invalid request', 'Expected a list of CRNs');
        if (strings.length > MAX_BATCH) return error(res, 500, 'Unexpected error', `The list of CRNs provided exceeds the maximum of ${MAX_BATCH}`);
        payload = [...new Set(strings.map((c) => c.trim().toUpperCase()))].map((c) => byCrn.get(c)).filter((p) => p !== undefined).map((p) => offenderDetail(p, today));
        break;
      case OPERATIONS.conditions: {
        const crns = crnRequest();
        if (!crns) return error(res, 400, 'Invalid request', `Expected {"crns": [...]} with 1 to ${MAX_CRN_REQUEST} CRNs`);
        payload = { cases: [...new Set(crns.map((c) => c.trim().toUpperCase()))].map((c) => byCrn.get(c)).filter((p) => p !== undefined).map(caseConditions) };
        break;
      }
      case OPERATIONS.access:
      case OPERATIONS.accessGet: {
        const crns = crnRequest();
        if (!crns) return error(res, 400, 'Invalid request', `Expected {"crns": [...]} with 1 to ${MAX_CRN_REQUEST} CRNs`);
        const username = url.searchParams.get('username')?.trim() || null;
        payload = { access: [...new Set(crns.map((c) => c.trim().toUpperCase()))].map((c) => byCrn.get(c)).filter((p) => p !== undefined).map((p) => caseAccess(p, username)) };
        break;
      }
      case OPERATIONS.nomsNumbers:
        if (!strings) return error(res, 400, 'Invalid request', 'Expected a list of NOMS numbers');
        payload = [...new Set(strings.map((c) => c.trim().toUpperCase()))].map((n) => byNoms.get(n)).filter((p) => p !== undefined).map((p) => offenderDetail(p, today));
        break;
      case OPERATIONS.probationCases:
      case OPERATIONS.search:
      case OPERATIONS.searchPeople: {
        const dto = (body ?? {}) as Json;
        const criteria = ['surname', 'firstName', 'dateOfBirth', 'pncNumber', 'croNumber', 'crn', 'nomsNumber'].filter((k) => typeof dto[k] === 'string' && (dto[k] as string).trim() !== '');
        if (typeof body !== 'object' || Array.isArray(body) || criteria.length === 0) return error(res, 400, 'Invalid request', 'At least one search criterion is required');
        const found = people.filter((p) => matchesSearch(p, dto));
        if (op === OPERATIONS.search) { payload = found.map((p) => offenderDetail(p, today)); break; }
        if (op === OPERATIONS.probationCases) { payload = found.map((p) => probationCaseDetail(p, today)); break; }
        payload = page(found, url, today);
        if (!payload) return error(res, 400, 'Invalid request', 'page must be >= 0 and size between 1 and 1000');
        break;
      }
      case OPERATIONS.phrase: {
        const f = (body ?? {}) as Json;
        if (typeof f.phrase !== 'string' || f.phrase.trim() === '' || typeof f.matchAllTerms !== 'boolean') return error(res, 400, 'Invalid request', 'phrase and matchAllTerms are required');
        const terms = f.phrase.split(/\s+/).filter((t) => t !== '');
        const found = people.filter((p) => (f.matchAllTerms ? terms.every((t) => matchesTerm(p, t)) : terms.some((t) => matchesTerm(p, t))));
        const paged = page(found, url, today);
        if (!paged) return error(res, 400, 'Invalid request', 'page must be >= 0 and size between 1 and 1000');
        // SearchPhraseResults: the page, with counts of the matches by probation area.
        const areas = new Map<string, { code: string; description: string; count: number }>();
        for (const p of found) {
          const a = areas.get(p.offenderManager.probationAreaCode) ?? { code: p.offenderManager.probationAreaCode, description: p.offenderManager.probationAreaDescription, count: 0 };
          a.count++;
          areas.set(a.code, a);
        }
        payload = { ...paged, probationAreaAggregations: [...areas.values()], suggestions: null };
        break;
      }
      case OPERATIONS.lduCodes: {
        // findByLduCode: the offenders whose current offender manager's team is in one of the local delivery units, paged.
        if (!strings || strings.length === 0) return error(res, 400, 'Invalid request', 'Expected a list of LDU codes');
        const codes = new Set(strings.map((c) => c.trim().toUpperCase()));
        payload = page(people.filter((p) => codes.has(lduCode(p))), url, today);
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
    send(res, payload, outcome);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => { if (!res.headersSent) error(res, 500, 'Unexpected error', 'Internal server error'); else res.destroy(); });
  });
  const { base, close } = await listen(server, options);
  return {
    agency: 'probation',
    location: base,
    env: {
      PROBATION_URL: base, PROBATION_AUTH_URL: `${base}/auth`, PROBATION_CLIENT_ID: clientId, PROBATION_CLIENT_SECRET: clientSecret,
      // The delivery units the data-quality report covers: every one this stand-in's cases are managed in.
      PROBATION_DATA_QUALITY_LDU_CODES: [...new Set(people.map(lduCode))].sort().join(','),
    },
    faults,
    requests,
    tokens,
    close,
  };
}

export const startStandIn: StartStandIn = startProbationStandIn;

// Stand-in for the prosecution service's case management system: one case file per charged case of the
// synthetic population, answering one batch search over HTTP/JSON.
//  - The case itself and the prosecuting authority are in HMCTS Common Platform's shapes
//    (reference/prosecution/common-platform/global/apiProsecutionCase.json, apiProsecutingAuthority.json),
//    which is how a prosecution case reaches the courts; test/contracts/prosecution.test.ts validates them.
//  - The charging decision, the case review and the witness care contacts have no public contract: they
//    are the STAND-IN'S OWN minimal shapes (`chargingDecision`, `review`, `witnessCare` below), kept
//    beside the Common Platform case and named as such.
// POST /case-files/search takes any number of case URNs, ASNs and PNC ids in one call (a batch, up to
// MAX_KEYS) and answers every case file holding any of them. GET /health answers 200. Any other path is 404.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { offenceCodes, organisationUnits } from '../../reference/index.js';
import { FaultControl, now, RequestCounter, type StandIn, type StandInOptions, type StartStandIn } from '../faults.js';
import { listen } from '../http.js';
import { FEMALE, MALE, rng, SURNAMES, type Population } from '../population.js';

export const OPERATIONS = { search: 'POST /case-files/search', health: 'GET /health', unknown: 'UNKNOWN' } as const;
/** Most keys (URNs, ASNs and PNCs together) one search takes. */
export const MAX_KEYS = 1000;
const MAX_BODY = 1_000_000;

type Json = Record<string, unknown>;

/** What the stand-in serves per case: the Common Platform case and authority, and its own case-management parts. */
export interface CaseFile {
  prosecutionCase: Json;
  prosecutingAuthority: Json;
  /** Stand-in's own shape: the charging decision under the Director's Guidance on Charging. */
  chargingDecision: { decision: 'CHARGE' | 'NO_FURTHER_ACTION' | 'CAUTION'; test: 'FULL_CODE_TEST' | 'THRESHOLD_TEST'; decisionDate: string; decidedBy: string };
  /** Stand-in's own shape: where the case's review stands. */
  review: { status: 'PRE_CHARGE' | 'AWAITING_REVIEW' | 'REVIEWED' | 'TRIAL_READY' | 'FINALISED'; lastReviewDate: string | null; nextReviewDate: string | null; lawyer: string };
  /** Stand-in's own shape: the witness care unit's contacts for the case's victims and witnesses. */
  witnessCare: {
    contactId: string; role: 'VICTIM' | 'WITNESS'; firstName: string; lastName: string; victimReference: string | null;
    contactMethod: 'EMAIL' | 'PHONE' | 'LETTER' | 'NONE'; email: string | null; phone: string | null;
    specialMeasures: string[]; warnedForDate: string | null; lastContactDate: string | null; witnessCareOfficer: string;
  }[];
  /** When the system last changed the file (ISO instant). */
  lastUpdated: string;
}

/** A stable UUID from a name, so the same population gives the same ids on every run. */
export function uuidFor(name: string): string {
  const h = createHash('sha1').update(`prosecution:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const AUTHORITY_ID = uuidFor('authority:CPS');
const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const GENDER = { M: 'MALE', F: 'FEMALE' } as const;
const MEASURES = ['Screens', 'Live link', 'Evidence in private', 'Intermediary', 'Video-recorded evidence in chief'];

/** The case files of the population: one per court case, derived from the population and a seed of its own. */
export function populationCaseFiles(population: Population): CaseFile[] {
  const next = rng((population.seed ^ 0x5c95) >>> 0);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const offences = offenceCodes();
  const ous = organisationUnits();
  const victimsByCase = new Map<string, Population['victims']>();
  for (const v of population.victims) victimsByCase.set(v.caseUrn, [...(victimsByCase.get(v.caseUrn) ?? []), v]);
  const defendants = new Map(population.courts.defendants.map((d) => [d.personIndex, d]));
  const ref = population.referenceDate;

  return population.courts.cases.map((c) => {
    const person = population.people[c.personIndex];
    const recorded = defendants.get(c.personIndex);
    const caseId = uuidFor(`case:${c.urn}`);
    const defendantId = uuidFor(`defendant:${c.urn}:${c.asn}`);
    const concluded = c.offences.some((o) => o.finding !== null);
    const firstHearing = c.hearings[0]?.date ?? ref;
    const chargeDate = c.offences[0]?.chargeDate ?? firstHearing;
    const area = c.urn.slice(0, 2);
    const lawyer = `CPS${area}${String(int(1, 60)).padStart(3, '0')}`;
    const wco = `WCU${area}${String(int(1, 25)).padStart(2, '0')}`;
    const trial = c.hearings.find((h) => h.type === 'TRIAL');
    const personDetails: Json = {
      firstName: recorded?.forenames[0] ?? person.forename,
      ...(recorded && recorded.forenames.length > 1 ? { middleName: recorded.forenames.slice(1).join(' ') } : {}),
      lastName: recorded?.surname ?? person.surname,
      ...(recorded?.dateOfBirth ?? person.dateOfBirth ? { dateOfBirth: recorded?.dateOfBirth ?? person.dateOfBirth } : {}),
      gender: GENDER[person.sex],
    };
    const prosecutionCase: Json = {
      id: caseId,
      prosecutionCaseIdentifier: {
        prosecutionAuthorityId: AUTHORITY_ID, prosecutionAuthorityCode: 'CPS', prosecutionAuthorityName: 'Crown Prosecution Service',
        prosecutionAuthorityOUCode: `${area}00000`, caseURN: c.urn,
      },
      originatingOrganisation: `${area}00000`,
      initiationCode: 'C',
      caseStatus: concluded ? 'INACTIVE' : 'ACTIVE',
      defendants: [{
        id: defendantId, prosecutionCaseId: caseId,
        // The prosecution keys the defendant by the PNC the police sent with the file, when there was one.
        ...(person.pnc ? { pncId: person.pnc } : {}),
        ...(person.cro ? { croNumber: person.cro } : {}),
        offences: c.offences.map((o) => ({
          id: uuidFor(`offence:${c.urn}:${o.sequence}`), offenceDefinitionId: uuidFor(`definition:${o.offenceCode}`), offenceCode: o.offenceCode,
          offenceTitle: offences.get(o.offenceCode)?.title ?? o.offenceCode, wording: o.wording || `On ${o.offenceDate} committed an offence (${o.offenceCode})`,
          startDate: o.offenceDate, arrestDate: o.arrestDate, chargeDate: o.chargeDate, orderIndex: o.sequence, count: 0,
        })),
        personDefendant: { personDetails, arrestSummonsNumber: c.asn },
        proceedingsConcluded: concluded,
      }],
    };
    const ou = ous.get(`${area}00000`);
    const prosecutingAuthority: Json = {
      prosecutionAuthorityId: AUTHORITY_ID, prosecutionAuthorityCode: 'CPS',
      name: `Crown Prosecution Service${ou?.secondLevelName ? ` (${ou.secondLevelName})` : ''}`, prosecutorCategory: 'CPS',
    };
    const remanded = c.bailStatus === 'C';
    const chargingDecision: CaseFile['chargingDecision'] = {
      decision: 'CHARGE', test: remanded && !concluded ? 'THRESHOLD_TEST' : 'FULL_CODE_TEST', decisionDate: chargeDate, decidedBy: lawyer,
    };
    const lastReview = concluded ? c.hearings[c.hearings.length - 1]?.date ?? chargeDate : addDays(chargeDate, int(5, 30));
    const review: CaseFile['review'] = {
      status: concluded ? 'FINALISED' : trial && trial.date <= addDays(ref, 28) ? 'TRIAL_READY' : pick(['AWAITING_REVIEW', 'REVIEWED'] as const),
      lastReviewDate: lastReview < ref ? lastReview : ref,
      nextReviewDate: concluded ? null : addDays(ref, int(3, 40)),
      lawyer,
    };
    const witnessCare: CaseFile['witnessCare'] = [];
    for (const v of victimsByCase.get(c.urn) ?? []) {
      witnessCare.push({
        contactId: `WC${v.victimId}`, role: 'VICTIM', firstName: v.forename, lastName: v.surname, victimReference: v.victimId,
        contactMethod: v.contactMethod, email: v.email, phone: v.phone, specialMeasures: next() < 0.2 ? [pick(MEASURES)] : [],
        warnedForDate: trial && !concluded ? trial.date : null, lastContactDate: addDays(chargeDate, int(1, 40)), witnessCareOfficer: wco,
      });
    }
    const witnesses = int(0, 2);
    for (let k = 0; k < witnesses; k++) {
      const female = next() < 0.5;
      const method = pick(['EMAIL', 'PHONE', 'LETTER'] as const);
      const firstName = pick(female ? FEMALE : MALE), lastName = pick(SURNAMES);
      witnessCare.push({
        contactId: `WC${c.urn}W${k + 1}`, role: 'WITNESS', firstName, lastName, victimReference: null, contactMethod: method,
        email: method === 'EMAIL' ? `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '') + '@example.org' : null,
        phone: method === 'PHONE' ? `07700 9${String(int(0, 99_999)).padStart(5, '0')}` : null,
        specialMeasures: next() < 0.1 ? [pick(MEASURES)] : [], warnedForDate: trial && !concluded ? trial.date : null,
        lastContactDate: addDays(chargeDate, int(1, 60)), witnessCareOfficer: wco,
      });
    }
    return { prosecutionCase, prosecutingAuthority, chargingDecision, review, witnessCare, lastUpdated: `${lastReview < ref ? lastReview : ref}T09:00:00Z` };
  });
}

/** The keys a case file is found by: its URN, its defendants' ASNs and PNC ids, upper-cased. */
export function keysOf(file: CaseFile): string[] {
  const pc = file.prosecutionCase as { prosecutionCaseIdentifier: { caseURN?: string }; defendants: { pncId?: string; personDefendant?: { arrestSummonsNumber?: string } }[] };
  return [
    `URN:${pc.prosecutionCaseIdentifier.caseURN ?? ''}`,
    ...pc.defendants.flatMap((d) => [d.pncId ? `PNC:${d.pncId}` : null, d.personDefendant?.arrestSummonsNumber ? `ASN:${d.personDefendant.arrestSummonsNumber}` : null]),
  ].filter((k): k is string => k !== null).map((k) => k.toUpperCase());
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const strings = (v: unknown): string[] | null => (v === undefined ? [] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null);

export const startStandIn: StartStandIn = async (options: StandInOptions): Promise<StandIn> => {
  const files = populationCaseFiles(options.population);
  const index = new Map<string, CaseFile[]>();
  for (const f of files) for (const k of keysOf(f)) index.set(k, [...(index.get(k) ?? []), f]);
  const faults = new FaultControl(options.faultSeed ?? 6);
  const requests = new RequestCounter();
  const send = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const op = req.method === 'POST' && path === '/case-files/search' ? OPERATIONS.search : req.method === 'GET' && path === '/health' ? OPERATIONS.health : OPERATIONS.unknown;
    const arrived = now(); // counted as arriving now, whatever delay the faults add before the answer
    const outcome = await faults.apply();
    requests.count(op, 1, arrived);
    if (outcome === 'down') return send(res, 503, { error: 'service unavailable' });
    if (op === OPERATIONS.unknown) return send(res, 404, { error: 'not found' });
    if (outcome === 'error') return send(res, 500, { error: 'internal error' });
    if (op === OPERATIONS.health) return send(res, 200, { status: 'UP' });
    let body: Json;
    try { body = (await readJson(req)) as Json; } catch { return send(res, 400, { error: 'the body is not JSON' }); }
    const urns = strings(body?.caseUrns), asns = strings(body?.asns), pncs = strings(body?.pncIds);
    if (!urns || !asns || !pncs) return send(res, 400, { error: 'caseUrns, asns and pncIds must be lists of strings' });
    if (urns.length + asns.length + pncs.length > MAX_KEYS) return send(res, 400, { error: `at most ${MAX_KEYS} keys per search` });
    const found = new Set<CaseFile>();
    for (const [kind, list] of [['URN', urns], ['ASN', asns], ['PNC', pncs]] as const) {
      for (const v of list) for (const f of index.get(`${kind}:${v.trim().toUpperCase()}`) ?? []) found.add(f);
    }
    // A copy, so a fault that breaks records never touches the stored files.
    const caseFiles = JSON.parse(JSON.stringify([...found])) as CaseFile[];
    // A record listed in malformedRecords (by URN or case id) is served without its case identifier: no reader can place it.
    for (const f of caseFiles) {
      const urn = (f.prosecutionCase.prosecutionCaseIdentifier as Json).caseURN;
      if (faults.isMalformed(urn) || faults.isMalformed(f.prosecutionCase.id)) delete f.prosecutionCase.prosecutionCaseIdentifier;
    }
    if (outcome === 'malformed') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ caseFiles }).slice(0, -1)); // truncated: never valid JSON
    send(res, 200, { caseFiles });
  });
  const { base, close } = await listen(server, options);
  return { agency: 'prosecution', location: base, env: { PROSECUTION_URL: base }, faults, requests, close };
};

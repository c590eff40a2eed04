import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { CourtsClient } from '../../../adapters/courts/client.js';
import { courtsConfig } from '../../../adapters/courts/config.js';
import { DEFAULT_RESILIENCE } from '../../../adapters/resilience.js';

const HOST = 'http://libra.courts.invalid';
const PATH = '/libra/CaseService';
const NS = 'http://www.dca.gov.uk/xmlschemas/libra';

// One legacy call per test, without retries: each test reads how one answer is mapped (retries and the
// breaker are tested in test/adapters/resilience.test.ts).
const client = (over: Partial<{ timeoutMs: number; maxBatch: number }> = {}) =>
  new CourtsClient({ url: HOST + PATH, timeoutMs: over.timeoutMs ?? 1000, maxBatch: over.maxBatch ?? 100, resilience: { ...DEFAULT_RESILIENCE, timeoutMs: over.timeoutMs ?? 1000, retries: 0 } });

const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:DC="${NS}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
const faultEnvelope = (code: string, text: string) => envelope(`<soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${text}</faultstring></soap:Fault>`);

/** A real delivered message (reference/libra/), as the result store hands it back: unchanged but for the XML declaration. */
const realMessage = (file = 'resulted-case-input-message-001.xml') =>
  readFileSync(new URL(`../../../reference/libra/${file}`, import.meta.url), 'utf8').replace(/^\s*<\?xml[^>]*\?>\s*/, '');
/** The real message with another ASN, PTIURN and birth date. */
const variant = (asn: string, urn: string, birthdate = '1948-11-11') => realMessage()
  .replace('1101ZD0100000448754K', asn).replace('01ZD0303208', urn).replace('<DC:Birthdate>1948-11-11', `<DC:Birthdate>${birthdate}`);
const answer = (...docs: string[]) => envelope(`<DC:GetResultedCasesResponse>${docs.join('')}</DC:GetResultedCasesResponse>`);
const ASN = '1101ZD0100000448754K';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** Expects the promise to fail with an AdapterError of `code` whose message names no host or path. */
async function expectAdapterError(promise: Promise<unknown>, code: string): Promise<AdapterError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AdapterError);
  const e = err as AdapterError;
  expect(e.code).toBe(code);
  expect(e.extensions).toMatchObject({ code, agency: 'courts' });
  expect(e.message).not.toMatch(/invalid|CaseService|http|Server fault text/);
  return e;
}

describe('courts client (SOAP over HTTP, Libra result messages)', () => {
  it('asks for a batch of ASNs in one GetResultedCases envelope and maps the delivered message it gets back', async () => {
    let sent = '';
    const scope = nock(HOST)
      .matchHeader('soapaction', `"${NS}/GetResultedCases"`)
      .matchHeader('content-type', /text\/xml/)
      .post(PATH, (body: string) => { sent = body; return true; })
      .reply(200, answer(realMessage()), { 'content-type': 'text/xml' });
    const found = await client().casesByAsn([ASN, '11/01ZD/01/448755K', ASN.toLowerCase()]);
    expect(scope.isDone()).toBe(true);
    expect(sent).toContain(`<soap:Body><DC:GetResultedCasesRequest><DC:ProsecutorReference>${ASN}</DC:ProsecutorReference><DC:ProsecutorReference>1101ZD0100000448755K</DC:ProsecutorReference></DC:GetResultedCasesRequest>`);
    expect(found.get(ASN)).toMatchObject({ urn: '01ZD0303208', asn: ASN, defendant: { name: { fullName: 'Trprfour Sexoffence' }, sex: 'MALE' }, charges: [{ sequence: 1 }, { sequence: 2 }, { sequence: 3 }] });
    expect(found.has('1101ZD0100000448755K')).toBe(false);
  });

  it('escapes what it sends, so a name cannot break the envelope', async () => {
    let sent = '';
    const scope = nock(HOST).post(PATH, (body: string) => { sent = body; return true; }).reply(200, envelope('<DC:GetResultedCasesResponse/>'));
    expect(await client().findDefendantsByName({ surname: "O'Brien <x>" })).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(sent).toContain('<DC:PersonFamilyName>O&apos;BRIEN &lt;X&gt;</DC:PersonFamilyName>');
  });

  it('reports one unreadable case as BAD_SOURCE_DATA and still returns the rest', async () => {
    const scope = nock(HOST).post(PATH).reply(200, answer(variant('1101ZD0100000000001A', '01ZD0000001', '1948-02-30'), variant('1101ZD0100000000002A', '01ZD0000002')));
    const found = await client().casesByAsn(['1101ZD0100000000001A', '1101ZD0100000000002A']);
    expect(scope.isDone()).toBe(true);
    const bad = found.get('1101ZD0100000000001A') as AdapterError;
    expect(bad).toBeInstanceOf(AdapterError);
    expect(bad.extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', agency: 'courts', recordId: '1101ZD0100000000001A' });
    expect(bad.operation).toBe('GetResultedCases'); // for the log; the client is not told the legacy operation
    expect(bad.message).not.toContain('SEXOFFENCE');
    expect(found.get('1101ZD0100000000002A')).toMatchObject({ urn: '01ZD0000002' });
  });

  it('finds cases by PTIURN, whatever case the URN is written in', async () => {
    let sent = '';
    const scope = nock(HOST).post(PATH, (body: string) => { sent = body; return true; }).reply(200, answer(realMessage()));
    const found = await client().casesByUrn(['01zd0303208', '99XX0000000']);
    expect(scope.isDone()).toBe(true);
    expect(sent).toContain('<DC:PTIURN>01ZD0303208</DC:PTIURN><DC:PTIURN>99XX0000000</DC:PTIURN>');
    expect([...found.keys()]).toEqual(['01ZD0303208']);
  });

  it('finds defendant records by ASN for identity, and asks nothing for identifiers the court does not key by', async () => {
    const scope = nock(HOST).post(PATH).reply(200, answer(realMessage()));
    const records = await client().identity.findByIdentifiers([{ type: 'ASN', value: ASN }, { type: 'PNC', value: '2018/0100006A' }]);
    expect(scope.isDone()).toBe(true);
    expect(records).toEqual([expect.objectContaining({ agency: 'courts', localId: ASN, localIdType: 'ASN', pnc: { raw: null, value: null, valid: false } })]);
    expect(await client().identity.findByIdentifiers([{ type: 'PNC', value: '2018/0100006A' }])).toEqual([]); // no call: nock would fail
  });

  it('splits a batch larger than COURTS_MAX_BATCH into several calls', async () => {
    const scope = nock(HOST).post(PATH).times(3).reply(200, envelope('<DC:GetResultedCasesResponse></DC:GetResultedCasesResponse>'));
    const found = await client({ maxBatch: 2 }).casesByUrn(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(scope.isDone()).toBe(true);
    expect(found.size).toBe(0);
  });

  it('turns a soap:Server fault into SOURCE_UNAVAILABLE without repeating the fault text', async () => {
    const scope = nock(HOST).post(PATH).reply(500, faultEnvelope('Server', 'Server fault text: ORA-00942 at db01.courts.invalid'), { 'content-type': 'text/xml' });
    const err = await expectAdapterError(client().casesByUrn(['01ZD0303208']), 'SOURCE_UNAVAILABLE');
    expect(err.message).toBe('courts system is unavailable');
    expect(scope.isDone()).toBe(true);
  });

  it('turns a soap:Client fault into SOURCE_UNAVAILABLE saying the request was rejected', async () => {
    const scope = nock(HOST).post(PATH).reply(500, faultEnvelope('Client', 'Unknown operation'), { 'content-type': 'text/xml' });
    const err = await expectAdapterError(client().casesByAsn([ASN]), 'SOURCE_UNAVAILABLE');
    expect(err.message).toContain('rejected');
    expect(scope.isDone()).toBe(true);
  });

  it('reports HTTP 503 and a refused connection as SOURCE_UNAVAILABLE', async () => {
    const scope = nock(HOST).post(PATH).reply(503, 'Service Unavailable', { 'content-type': 'text/plain' })
      .post(PATH).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED libra.courts.invalid' });
    await expectAdapterError(client().casesByAsn([ASN]), 'SOURCE_UNAVAILABLE');
    await expectAdapterError(client().casesByAsn([ASN]), 'SOURCE_UNAVAILABLE');
    expect(scope.isDone()).toBe(true);
  });

  it('reports truncated XML, or an answer without the response element, as BAD_SOURCE_DATA for the whole call', async () => {
    const full = answer(realMessage());
    const scope = nock(HOST).post(PATH).reply(200, full.slice(0, full.length / 2), { 'content-type': 'text/xml' })
      .post(PATH).reply(200, envelope('<DC:SomethingElse/>'));
    await expectAdapterError(client().casesByAsn([ASN]), 'BAD_SOURCE_DATA');
    await expectAdapterError(client().casesByAsn([ASN]), 'BAD_SOURCE_DATA');
    expect(scope.isDone()).toBe(true);
  });

  it('gives up after COURTS_TIMEOUT_MS with SOURCE_TIMEOUT', async () => {
    const scope = nock(HOST).post(PATH).delay(500).reply(200, envelope('<DC:GetResultedCasesResponse/>'));
    await expectAdapterError(client({ timeoutMs: 50 }).casesByAsn([ASN]), 'SOURCE_TIMEOUT');
    expect(scope.isDone()).toBe(true);
  });
});

describe('courts config', () => {
  it('has safe defaults for the embedded demo', () => {
    expect(courtsConfig({})).toEqual({ url: 'http://127.0.0.1:8082/libra/CaseService', listingUrl: 'http://127.0.0.1:8082/common-platform/listing/hearings', timeoutMs: 3000, maxBatch: 500, resilience: DEFAULT_RESILIENCE });
  });

  it('reads COURTS_LISTING_URL, else lists on the result store\'s host', () => {
    expect(courtsConfig({ COURTS_URL: 'http://libra.invalid/libra/CaseService' }).listingUrl).toBe('http://libra.invalid/common-platform/listing/hearings');
    expect(courtsConfig({ COURTS_URL: 'http://libra.invalid/libra/CaseService', COURTS_LISTING_URL: 'http://cp.invalid/listing' }).listingUrl).toBe('http://cp.invalid/listing');
  });

  it('reads COURTS_URL and COURTS_TIMEOUT_MS', () => {
    expect(courtsConfig({ COURTS_URL: 'http://libra.invalid/libra/CaseService', COURTS_TIMEOUT_MS: '750' })).toMatchObject({ url: 'http://libra.invalid/libra/CaseService', timeoutMs: 750 });
  });

  it('fails fast on a bad timeout and on a missing URL in production', () => {
    expect(() => courtsConfig({ COURTS_TIMEOUT_MS: 'soon' })).toThrow(/COURTS_TIMEOUT_MS/);
    expect(() => courtsConfig({ NODE_ENV: 'production' })).toThrow(/COURTS_URL/);
  });
});

describe('courts client: the court list (Common Platform hearings)', () => {
  const hearing = (over: Record<string, unknown> = {}) => ({
    id: '00000000-0000-4000-8000-000000000001', jurisdictionType: 'MAGISTRATES',
    courtCentre: { id: '00000000-0000-4000-8000-000000000002', code: 'B01EF00' },
    type: { id: '00000000-0000-4000-8000-000000000003', description: 'Trial' },
    hearingDays: [{ sittingDay: '2026-11-20T10:00:00.000Z', listingSequence: 2, listedDurationMinutes: 180 }],
    prosecutionCases: [{
      id: '00000000-0000-4000-8000-000000000004', prosecutionCaseIdentifier: { prosecutionAuthorityId: '00000000-0000-4000-8000-000000000005', prosecutionAuthorityCode: 'POLICE01', caseURN: '01ZD0303208' },
      initiationCode: 'C', caseStatus: 'ACTIVE',
      defendants: [{
        id: '00000000-0000-4000-8000-000000000006', prosecutionCaseId: '00000000-0000-4000-8000-000000000004',
        offences: [{ id: '00000000-0000-4000-8000-000000000007', offenceDefinitionId: '00000000-0000-4000-8000-000000000008', offenceCode: 'TH68010', offenceTitle: 'Theft', wording: 'Theft', startDate: '2026-04-01', chargeDate: '2026-04-03', custodyTimeLimit: { timeLimit: '2026-10-25', daysSpent: 200 } }],
        personDefendant: { personDetails: { lastName: 'SMITH', gender: 'MALE', dateOfBirth: '1980-01-01' }, bailStatus: { id: '00000000-0000-4000-8000-000000000009', code: 'C', description: 'Custody', custodyTimeLimit: { timeLimit: '2026-10-26', daysSpent: 200 } }, custodyTimeLimit: '2026-10-26', arrestSummonsNumber: ASN },
      }],
    }],
    ...over,
  });

  it('asks once with the courts, days and bail status as query parameters, and reads each listed defendant with their custody time limit', async () => {
    const scope = nock(HOST).get('/common-platform/listing/hearings').query({ courtCentreCode: 'B01EF00,B02AB00', startDate: '2026-11-01', bailStatus: 'C' })
      .reply(200, { hearings: [hearing()], totalResults: 1 });
    const lines = await client().listHearings({ courts: ['b01ef00', 'B02AB00'], from: '2026-11-01', bailStatus: 'C' });
    expect(scope.isDone()).toBe(true);
    expect(lines).toHaveLength(1);
    const l = lines[0];
    if (l instanceof AdapterError) throw l;
    // The earliest of the case's and the offences' limits; the time is UK wall-clock.
    expect(l).toMatchObject({ urn: '01ZD0303208', asn: ASN, date: '2026-11-20', time: '10:00', listingSequence: 2, typeDescription: 'Trial', caseStatus: 'ACTIVE', chargeDate: '2026-04-03', custodyTimeLimit: { expiry: '2026-10-25', daysSpent: 200 } });
    expect(l.bailStatus?.code).toBe('CUSTODY');
    expect(l.court.code).toBe('B01EF00');
  });

  it('reads one unreadable line as BAD_SOURCE_DATA in its place, and an answer without hearings as BAD_SOURCE_DATA for the call', async () => {
    const bad = hearing({ hearingDays: [{ sittingDay: '2026-02-30T10:00:00Z', listedDurationMinutes: 20 }] });
    nock(HOST).get('/common-platform/listing/hearings').query(true).reply(200, { hearings: [bad, hearing()] });
    const lines = await client().listHearings({});
    expect(lines[0]).toBeInstanceOf(AdapterError);
    expect((lines[0] as AdapterError).extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', agency: 'courts' });
    expect(lines[1]).not.toBeInstanceOf(AdapterError);
    nock(HOST).get('/common-platform/listing/hearings').query(true).reply(200, { cases: [] });
    await expectAdapterError(client().listHearings({}), 'BAD_SOURCE_DATA');
    nock(HOST).get('/common-platform/listing/hearings').query(true).reply(503, 'down');
    await expectAdapterError(client().listHearings({}), 'SOURCE_UNAVAILABLE');
  });
});

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

function defendantXml(id: string, opts: { birthdate?: string; pnc?: string; family?: string } = {}): string {
  return `<DC:Defendant><DC:DefendantId>${id}</DC:DefendantId>${opts.pnc ? `<DC:PNCIdentifier>${opts.pnc}</DC:PNCIdentifier>` : ''}<DC:CourtIndividualDefendant><DC:PersonDefendant><DC:BasePersonDetails>`
    + `<DC:PersonName><DC:PersonTitle>Mr</DC:PersonTitle><DC:PersonGivenName1>Callum</DC:PersonGivenName1><DC:PersonFamilyName>${opts.family ?? 'WRIGHT'}</DC:PersonFamilyName></DC:PersonName>`
    + `<DC:Birthdate>${opts.birthdate ?? '2002-12-28'}</DC:Birthdate><DC:Gender>1</DC:Gender></DC:BasePersonDetails></DC:PersonDefendant>`
    + `<DC:Address><DC:SimpleAddress><DC:AddressLine1>191 Church Lane</DC:AddressLine1><DC:AddressLine2>Sheffield</DC:AddressLine2><DC:AddressLine3>S1 1ER</DC:AddressLine3></DC:SimpleAddress></DC:Address>`
    + '</DC:CourtIndividualDefendant></DC:Defendant>';
}

const caseXml = (urn: string, defendantId: string) =>
  `<DC:Case><DC:PTIURN>${urn}</DC:PTIURN><DC:CourtHearingLocation>B01EF01</DC:CourtHearingLocation>`
  + `<DC:Hearing><DC:HearingId>${urn}-1</DC:HearingId><DC:CourtHearingLocation>B01EF01</DC:CourtHearingLocation><DC:DateOfHearing>2011-09-26</DC:DateOfHearing><DC:TimeOfHearing>10:00:00</DC:TimeOfHearing><DC:HearingType>FH</DC:HearingType></DC:Hearing>`
  + `<DC:Defendant><DC:DefendantId>${defendantId}</DC:DefendantId><DC:ProsecutorReference>1101ZD0100000448754K</DC:ProsecutorReference><DC:CourtIndividualDefendant><DC:BailStatus>C</DC:BailStatus><DC:CustodyTimeLimit>2011-12-01</DC:CustodyTimeLimit></DC:CourtIndividualDefendant>`
  + '<DC:Offence><DC:BaseOffenceDetails><DC:OffenceSequenceNumber>001</DC:OffenceSequenceNumber><DC:OffenceCode>SX03001A</DC:OffenceCode><DC:OffenceWording></DC:OffenceWording></DC:BaseOffenceDetails><DC:Plea>3</DC:Plea></DC:Offence>'
  + '</DC:Defendant></DC:Case>';

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

describe('courts client (SOAP over HTTP)', () => {
  it('asks for a batch of defendants in one GetDefendants envelope with its SOAPAction', async () => {
    let sent = '';
    const scope = nock(HOST)
      .matchHeader('soapaction', `"${NS}/GetDefendants"`)
      .matchHeader('content-type', /text\/xml/)
      .post(PATH, (body: string) => { sent = body; return true; })
      .reply(200, envelope(`<DC:GetDefendantsResponse>${defendantXml('7000000', { pnc: '18/100006A' })}${defendantXml('7000001')}</DC:GetDefendantsResponse>`), { 'content-type': 'text/xml' });
    const found = await client().getDefendants(['7000000', '7000001', '7000002', '7000000']);
    expect(scope.isDone()).toBe(true);
    expect(sent).toContain('<soap:Body><DC:GetDefendantsRequest><DC:DefendantId>7000000</DC:DefendantId><DC:DefendantId>7000001</DC:DefendantId><DC:DefendantId>7000002</DC:DefendantId></DC:GetDefendantsRequest>');
    expect(found.get('7000000')).toMatchObject({ defendantId: '7000000', name: { fullName: 'Callum Wright' }, pnc: { value: '2018/0100006A', valid: true } });
    expect(found.has('7000002')).toBe(false);
  });

  it('escapes what it sends, so a name cannot break the envelope', async () => {
    let sent = '';
    const scope = nock(HOST).post(PATH, (body: string) => { sent = body; return true; })
      .reply(200, envelope('<DC:FindDefendantsResponse/>'));
    expect(await client().findDefendantsByName({ surname: "O'Brien <x>" })).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(sent).toContain('<DC:PersonFamilyName>O&apos;BRIEN &lt;X&gt;</DC:PersonFamilyName>');
  });

  it('reports one unreadable defendant as BAD_SOURCE_DATA and still returns the rest', async () => {
    const scope = nock(HOST).post(PATH)
      .reply(200, envelope(`<DC:GetDefendantsResponse>${defendantXml('7000000', { birthdate: '1980-02-30' })}${defendantXml('7000001')}</DC:GetDefendantsResponse>`));
    const found = await client().getDefendants(['7000000', '7000001']);
    expect(scope.isDone()).toBe(true);
    const bad = found.get('7000000') as AdapterError;
    expect(bad).toBeInstanceOf(AdapterError);
    expect(bad.extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', agency: 'courts', recordId: '7000000' });
    expect(bad.operation).toBe('GetDefendants'); // for the log; the client is not told the legacy operation
    expect(bad.message).not.toContain('WRIGHT');
    expect(found.get('7000001')).toMatchObject({ defendantId: '7000001' });
  });

  it('groups the cases of a batch of defendants by defendant, keeping sequence 001 as the first charge', async () => {
    const scope = nock(HOST).matchHeader('soapaction', `"${NS}/GetCasesByDefendant"`).post(PATH)
      .reply(200, envelope(`<DC:GetCasesByDefendantResponse>${caseXml('01ZD0303208', '7000000')}${caseXml('01ZD0303209', '7000000')}</DC:GetCasesByDefendantResponse>`));
    const found = await client().getCasesByDefendant(['7000000', '7000001']);
    expect(scope.isDone()).toBe(true);
    expect(found.get('7000001')).toEqual([]);
    const [first] = found.get('7000000')!;
    expect(first).toMatchObject({
      urn: '01ZD0303208', remandedInCustody: true, custodyTimeLimitExpiry: '2011-12-01',
      charges: [{ sequence: 1, offence: { code: 'SX03001' }, offenceQualifier: { code: 'A', description: 'Attempt' }, wording: null, plea: { code: 'NO_PLEA' } }],
    });
  });

  it('finds defendants by PNC in both stored forms with one FindDefendants call', async () => {
    let sent = '';
    const scope = nock(HOST).post(PATH, (body: string) => { sent = body; return true; })
      .reply(200, envelope(`<DC:FindDefendantsResponse>${defendantXml('7000000', { pnc: '18/100006A' })}</DC:FindDefendantsResponse>`));
    const records = await client().identity.findByIdentifiers([{ type: 'PNC', value: '2018/0100006A' }, { type: 'CRO', value: '012345/99Z' }]);
    expect(scope.isDone()).toBe(true);
    expect(sent).toContain('<DC:PNCIdentifier>2018/0100006A</DC:PNCIdentifier><DC:PNCIdentifier>18/100006A</DC:PNCIdentifier>');
    expect(records).toEqual([expect.objectContaining({ agency: 'courts', localId: '7000000', localIdType: 'COURT_DEFENDANT_ID' })]);
  });

  it('splits a batch larger than COURTS_MAX_BATCH into several calls', async () => {
    const scope = nock(HOST).post(PATH).times(3).reply(200, envelope('<DC:GetCasesResponse></DC:GetCasesResponse>'));
    const found = await client({ maxBatch: 2 }).getCases(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(scope.isDone()).toBe(true);
    expect(found.size).toBe(0);
  });

  it('turns a soap:Server fault into SOURCE_UNAVAILABLE without repeating the fault text', async () => {
    const scope = nock(HOST).post(PATH).reply(500, faultEnvelope('Server', 'Server fault text: ORA-00942 at db01.courts.invalid'), { 'content-type': 'text/xml' });
    const err = await expectAdapterError(client().getCases(['01ZD0303208']), 'SOURCE_UNAVAILABLE');
    expect(err.message).toBe('courts system is unavailable');
    expect(scope.isDone()).toBe(true);
  });

  it('turns a soap:Client fault into SOURCE_UNAVAILABLE saying the request was rejected', async () => {
    const scope = nock(HOST).post(PATH).reply(500, faultEnvelope('Client', 'Unknown operation'), { 'content-type': 'text/xml' });
    const err = await expectAdapterError(client().getDefendants(['1']), 'SOURCE_UNAVAILABLE');
    expect(err.message).toContain('rejected');
    expect(scope.isDone()).toBe(true);
  });

  it('reports HTTP 503 as SOURCE_UNAVAILABLE', async () => {
    const scope = nock(HOST).post(PATH).reply(503, 'Service Unavailable', { 'content-type': 'text/plain' });
    await expectAdapterError(client().getDefendants(['1']), 'SOURCE_UNAVAILABLE');
    expect(scope.isDone()).toBe(true);
  });

  it('reports a refused connection as SOURCE_UNAVAILABLE', async () => {
    const scope = nock(HOST).post(PATH).replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED libra.courts.invalid' });
    await expectAdapterError(client().getDefendants(['1']), 'SOURCE_UNAVAILABLE');
    expect(scope.isDone()).toBe(true);
  });

  it('reports truncated XML as BAD_SOURCE_DATA for the whole call', async () => {
    const full = envelope(`<DC:GetDefendantsResponse>${defendantXml('7000000')}</DC:GetDefendantsResponse>`);
    const scope = nock(HOST).post(PATH).reply(200, full.slice(0, full.length / 2), { 'content-type': 'text/xml' });
    await expectAdapterError(client().getDefendants(['7000000']), 'BAD_SOURCE_DATA');
    expect(scope.isDone()).toBe(true);
  });

  it('reports an answer without the expected response element as BAD_SOURCE_DATA', async () => {
    const scope = nock(HOST).post(PATH).reply(200, envelope('<DC:SomethingElse/>'));
    await expectAdapterError(client().getDefendants(['7000000']), 'BAD_SOURCE_DATA');
    expect(scope.isDone()).toBe(true);
  });

  it('gives up after COURTS_TIMEOUT_MS with SOURCE_TIMEOUT', async () => {
    const scope = nock(HOST).post(PATH).delay(500).reply(200, envelope('<DC:GetDefendantsResponse/>'));
    await expectAdapterError(client({ timeoutMs: 50 }).getDefendants(['7000000']), 'SOURCE_TIMEOUT');
    expect(scope.isDone()).toBe(true);
  });
});

describe('courts config', () => {
  it('has safe defaults for the embedded demo', () => {
    expect(courtsConfig({})).toEqual({ url: 'http://127.0.0.1:8082/libra/CaseService', timeoutMs: 3000, maxBatch: 100, resilience: DEFAULT_RESILIENCE });
  });

  it('reads COURTS_URL and COURTS_TIMEOUT_MS', () => {
    expect(courtsConfig({ COURTS_URL: 'http://libra.invalid/libra/CaseService', COURTS_TIMEOUT_MS: '750' })).toMatchObject({ url: 'http://libra.invalid/libra/CaseService', timeoutMs: 750 });
  });

  it('fails fast on a bad timeout and on a missing URL in production', () => {
    expect(() => courtsConfig({ COURTS_TIMEOUT_MS: 'soon' })).toThrow(/COURTS_TIMEOUT_MS/);
    expect(() => courtsConfig({ NODE_ENV: 'production' })).toThrow(/COURTS_URL/);
  });
});

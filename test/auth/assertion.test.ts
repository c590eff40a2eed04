import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { AssertionError, signAssertion, verifyAssertion } from '../../auth/assertion.js';
import { ALG, importKey, newKeyPair } from '../../auth/keys.js';
import { createTokenVerifier, issueToken, TokenError } from '../../auth/tokens.js';

const caller = {
  subject: 'u1', agency: 'PROBATION', roles: ['PROBATION_OFFICER'], purpose: 'OFFENDER_MANAGEMENT', justification: 'review', requestId: 'req-12345678',
  staffCode: 'N07A001', relationships: { caseloadCrns: ['X123456'], victimIds: [], victimCaseUrns: [], victimDefendantIds: [], unavailable: [], sources: { caseload: 'probation' } },
};

const request = { query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', variables: { r: [{ __typename: 'Person', id: 'P1:police=1' }] } };

describe('the caller assertion', () => {
  it('carries who asks and why to the subgraph it is made out to', async () => {
    const k = await newKeyPair('g');
    const token = await signAssertion(await importKey(k.privateJwk), k.kid, 'probation', caller, request);
    expect(await verifyAssertion(await importKey(k.publicJwk), 'probation', token, request)).toEqual(caller);
  });

  it('is refused by any other subgraph', async () => {
    const k = await newKeyPair('g');
    const token = await signAssertion(await importKey(k.privateJwk), k.kid, 'probation', caller, request);
    await expect(verifyAssertion(await importKey(k.publicJwk), 'police', token, request)).rejects.toBeInstanceOf(AssertionError);
  });

  it('is good for the one request it was made for: another document or other variables are refused', async () => {
    const k = await newKeyPair('g');
    const token = await signAssertion(await importKey(k.privateJwk), k.kid, 'police', caller, request);
    const pub = await importKey(k.publicJwk);
    // Key order of the variables does not matter; their values do.
    expect((await verifyAssertion(pub, 'police', token, { query: request.query, variables: JSON.parse(JSON.stringify(request.variables)) })).requestId).toBe(caller.requestId);
    await expect(verifyAssertion(pub, 'police', token, { query: `${request.query} `, variables: request.variables })).rejects.toThrow('another request');
    await expect(verifyAssertion(pub, 'police', token, { query: request.query, variables: { r: [{ __typename: 'Person', id: 'P1:police=2' }] } })).rejects.toThrow('another request');
    await expect(verifyAssertion(pub, 'police', token, null)).rejects.toBeInstanceOf(AssertionError);
  });

  it('is refused when missing, and the reason never contains the token', async () => {
    const k = await newKeyPair('g');
    await expect(verifyAssertion(await importKey(k.publicJwk), 'police', undefined, request)).rejects.toThrow('no caller assertion');
    const err = await verifyAssertion(await importKey(k.publicJwk), 'police', 'abc.def.ghi', request).catch((e) => e);
    expect(String(err.message)).not.toContain('abc.def');
  });
});

describe('caller tokens', () => {
  const cfg = { issuer: 'iss', audience: 'aud' };

  it('are accepted when signed by the issuer, and give subject, agency and roles', async () => {
    const k = await newKeyPair('i');
    const verify = createTokenVerifier({ ...cfg, publicKeys: [k.publicJwk] });
    const t = await issueToken(await importKey(k.privateJwk), k.kid, { ...cfg, subject: 's', agency: 'POLICE', roles: ['POLICE_OFFICER'], staffCode: 'N07A001' });
    expect(await verify(t)).toEqual({ subject: 's', agency: 'POLICE', roles: ['POLICE_OFFICER'], staffCode: 'N07A001' });
  });

  it('are refused when expired, for another audience, or without roles', async () => {
    const k = await newKeyPair('i');
    const key = await importKey(k.privateJwk);
    const verify = createTokenVerifier({ ...cfg, publicKeys: [k.publicJwk] });
    await expect(verify(await issueToken(key, k.kid, { ...cfg, subject: 's', agency: 'POLICE', roles: ['R'], expiresIn: '-1m' }))).rejects.toThrow(/expired/);
    await expect(verify(await issueToken(key, k.kid, { ...cfg, audience: 'other', subject: 's', agency: 'POLICE', roles: ['R'] }))).rejects.toBeInstanceOf(TokenError);
    await expect(verify(await issueToken(key, k.kid, { ...cfg, subject: 's', agency: 'POLICE', roles: [] }))).rejects.toThrow(/roles/);
  });

  it('must carry an expiry, a bounded lifetime and no issue time in the future', async () => {
    const k = await newKeyPair('i');
    const key = await importKey(k.privateJwk);
    const verify = createTokenVerifier({ ...cfg, publicKeys: [k.publicJwk], maxLifetimeSeconds: 3600, clockSkewSeconds: 60 });
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, number>) => new SignJWT({ agency: 'POLICE', roles: ['POLICE_OFFICER'], ...claims })
      .setProtectedHeader({ alg: ALG, kid: k.kid }).setSubject('s').setIssuer(cfg.issuer).setAudience(cfg.audience).sign(key);
    await expect(verify(await sign({ iat: now }))).rejects.toThrow('token must carry an expiry (exp)');
    await expect(verify(await sign({ iat: now, exp: now + 7200 }))).rejects.toThrow('lifetime');
    await expect(verify(await sign({ exp: now + 365 * 86400 }))).rejects.toThrow('lifetime');
    await expect(verify(await sign({ iat: now + 365 * 86400, exp: now + 365 * 86400 + 600 }))).rejects.toThrow('issued in the future');
    await expect(verify(await sign({ nbf: now + 600, exp: now + 1200 }))).rejects.toThrow('not valid yet');
    // Within the skew both ways is accepted.
    expect((await verify(await sign({ iat: now + 30, exp: now + 1800 }))).subject).toBe('s');
  });
});

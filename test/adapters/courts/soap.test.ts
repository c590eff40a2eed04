import { describe, expect, it } from 'vitest';
import { createSoapParser, parseEnvelope, readFault, soapEnvelope, xmlEscape, xmlText } from '../../../adapters/soap.js';
import { AdapterError } from '../../../adapters/errors.js';

const parser = createSoapParser(['Offence']);
const parse = (body: string) => parseEnvelope('courts', 'Test', soapEnvelope(body, { DC: 'http://www.dca.gov.uk/xmlschemas/libra' }), parser) as any;

describe('SOAP helper', () => {
  it('keeps every value a string, so 001 and 0012 survive', () => {
    const doc = parse('<DC:R><DC:Offence><DC:OffenceSequenceNumber>001</DC:OffenceSequenceNumber><DC:Serial>0012</DC:Serial><DC:Flag>true</DC:Flag></DC:Offence></DC:R>');
    expect(doc.Envelope.Body.R.Offence).toEqual([{ OffenceSequenceNumber: '001', Serial: '0012', Flag: 'true' }]);
  });

  it('gives a repeating element as an array even when it occurs once, and drops namespace prefixes', () => {
    expect(parse('<DC:R><DC:Offence><DC:Code>TH68010</DC:Code></DC:Offence></DC:R>').Envelope.Body.R.Offence).toHaveLength(1);
    expect(parse('<ns2:R xmlns:ns2="x"><ns2:Offence/><ns2:Offence/></ns2:R>').Envelope.Body.R.Offence).toHaveLength(2);
  });

  it('builds escaped elements and leaves absent optional ones out', () => {
    expect(xmlText('DC:PersonFamilyName', 'O\'Brien & <Co>')).toBe('<DC:PersonFamilyName>O&apos;Brien &amp; &lt;Co&gt;</DC:PersonFamilyName>');
    expect(xmlText('DC:Birthdate', null)).toBe('');
    expect(xmlEscape('"a"')).toBe('&quot;a&quot;');
  });

  it.each([
    ['<soap:Fault><faultcode>soap:Server</faultcode><faultstring>boom</faultstring></soap:Fault>', { code: 'Server', message: 'boom' }],
    ['<soap:Fault><faultcode>soap:Client</faultcode><faultstring>bad</faultstring></soap:Fault>', { code: 'Client', message: 'bad' }],
    ['<DC:R/>', null],
  ])('reads the fault in %s', (body, fault) => {
    expect(readFault(parse(body))).toEqual(fault);
  });

  it('refuses a document that is not well-formed instead of half-parsing it', () => {
    expect(() => parseEnvelope('courts', 'Test', '<soap:Envelope><soap:Body><DC:R><DC:Offence>', parser)).toThrow(AdapterError);
  });
});

// Contract tests for the courts adapter. The Libra XSD is not in the public material the project holds,
// so the contract is the corpus of real delivered messages in reference/libra/: every one of them maps,
// or fails with a typed error, and the stand-in speaks only that corpus's vocabulary (every element path
// it writes is one a real message has, in the same namespaces, with the same envelope and schema version).
import { readdirSync, readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parseDeliverRequest } from '../../adapters/courts/client.js';
import { mapMessages } from '../../adapters/courts/mapping.js';
import { LIBRA_SCHEMA_VERSION } from '../../adapters/courts/wire.js';
import { AdapterError } from '../../adapters/errors.js';
import { populationMessages } from '../../legacy/courts/server.js';
import { generatePopulation } from '../../legacy/population.js';

const DIR = new URL('../../reference/libra/', import.meta.url);
const corpus = readdirSync(DIR).filter((f) => f.endsWith('.xml')).sort().map((f) => ({ file: f, xml: readFileSync(new URL(f, DIR), 'utf8') }));

/** Every element path of a document (prefixes kept, so namespaces count), with the attributes of each. */
const structure = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: true, parseTagValue: false });
function paths(xml: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (nodes: any[], at: string) => {
    for (const node of nodes) {
      for (const [name, value] of Object.entries(node)) {
        if (name === ':@' || name === '#text' || name === '?xml') continue;
        const path = `${at}/${name}`;
        const attrs = out.get(path) ?? new Set<string>();
        for (const a of Object.keys(node[':@'] ?? {})) if (!a.startsWith('@xmlns') && a !== '@xsi:schemaLocation') attrs.add(`${a}=${node[':@'][a]}`);
        out.set(path, attrs);
        walk(value as any[], path);
      }
    }
  };
  walk(structure.parse(xml), '');
  return out;
}

describe('courts contract: the real Libra messages in reference/libra/', () => {
  it('holds the real corpus', () => {
    expect(corpus.map((c) => c.file)).toEqual(['resulted-case-input-message-001-variations.xml', 'resulted-case-input-message-001.xml']);
  });

  it.each(corpus.map((c) => [c.file, c.xml]))('maps %s, or fails it typed, case by case and line by line', (_file, xml) => {
    const cases = mapMessages([parseDeliverRequest(xml)]);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      if (c.record instanceof AdapterError) {
        expect(c.record.extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', agency: 'courts' });
        continue;
      }
      expect(c.record.asn).toBe(c.asn);
      for (const ch of c.record.charges) for (const o of ch.outcomes) if (o instanceof AdapterError) expect(o.extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', agency: 'courts' });
    }
    // These two carry every line coded: all of them read.
    expect(cases.every((c) => !(c.record instanceof AdapterError) && c.record.charges.every((ch) => ch.outcomes.every((o) => !(o instanceof AdapterError))))).toBe(true);
  });

  it.each(corpus.map((c) => [c.file, c.xml]))('%s is the schema version the adapter follows', (_file, xml) => {
    expect([...paths(xml).get('/DeliverRequest/Message/DC:ResultedCaseMessage')!]).toContain(`@SchemaVersion=${LIBRA_SCHEMA_VERSION}`);
  });
});

describe('courts contract: what the stand-in delivers', () => {
  const population = generatePopulation({ size: 120 });
  const messages = populationMessages(population);
  const vocabulary = new Map<string, Set<string>>();
  for (const { xml } of corpus) for (const [p, attrs] of paths(xml)) vocabulary.set(p, new Set([...(vocabulary.get(p) ?? []), ...attrs]));

  // Beyond the two-message corpus, only these: a person's second and third given names, which the corpus's
  // defendant does not have (PersonName holds PersonGivenName1 to 3 in schema 0.6g; checked against the
  // corpus only for the first: the XSD is not in the project's material).
  const NAME = '/DeliverRequest/Message/DC:ResultedCaseMessage/DC:Session/DC:Case/DC:Defendant/DC:CourtIndividualDefendant/DC:PersonDefendant/DC:BasePersonDetails/DC:PersonName';
  for (const extra of [`${NAME}/DC:PersonGivenName2`, `${NAME}/DC:PersonGivenName3`]) vocabulary.set(extra, new Set());

  it('writes only element paths, attributes and namespaces that real messages have', () => {
    expect(messages.length).toBeGreaterThan(population.courts.cases.length);
    const unknown = new Set<string>();
    for (const xml of messages) {
      for (const [p, attrs] of paths(xml)) {
        if (!vocabulary.has(p)) unknown.add(p);
        else for (const a of attrs) if (!vocabulary.get(p)!.has(a) && !a.startsWith('@')) unknown.add(`${p} ${a}`);
        for (const a of attrs) if (a.startsWith('@') && !vocabulary.get(p)?.has(a)) unknown.add(`${p} ${a}`);
      }
    }
    expect([...unknown]).toEqual([]);
  });

  it('delivers messages that the adapter reads in full: every case, charge and result line', () => {
    const cases = mapMessages(messages.map(parseDeliverRequest));
    expect(cases.length).toBe(population.courts.cases.length);
    for (const c of cases) {
      expect(c.record).not.toBeInstanceOf(AdapterError);
      if (c.record instanceof AdapterError) continue;
      expect(c.record.charges.every((ch) => ch.outcomes.every((o) => !(o instanceof AdapterError)))).toBe(true);
    }
  });

  it('carries neither a PNC nor a defendant id, as real messages do not: the ASN is the key', () => {
    for (const xml of messages.slice(0, 50)) {
      expect(xml).not.toMatch(/PNCIdentifier|DefendantId/);
      expect(xml).toMatch(/<DC:ProsecutorReference>\d{2}\d{2}[A-Z]{2}\d{13}[A-Z]<\/DC:ProsecutorReference>/);
    }
  });
});

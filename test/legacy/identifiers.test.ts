// The stand-ins' own identifier helpers, checked against published values rather than against the adapter.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { croSearchKey, issueCro, issuePnc, issueSfCro, pncSearchKey, prisonerSearchPncForms } from '../../legacy/identifiers.js';
import { indexedName } from '../../legacy/names.js';

const vectors = (file: string) => readFileSync(new URL(`../fixtures/identifiers/${file}`, import.meta.url), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

describe('identifiers the stand-ins issue', () => {
  it('issues every published PNC from its year and serial', () => {
    const pncs = vectors('person-record-valid-pncs.csv');
    expect(pncs.filter((p) => issuePnc(Number(p.slice(0, 4)), Number(p.slice(5, 12))) !== p)).toEqual([]);
  });

  it('issues every published CRO number, standard and SF, from its serial and year', () => {
    const issued = (c: string) => {
      const sf = /^SF(\d{2})\/(\d+)[A-Z]$/.exec(c);
      if (sf) return issueSfCro(Number(sf[2]), Number(sf[1]));
      const [serial, rest] = c.split('/');
      return issueCro(Number(serial), Number(rest.slice(0, 2)));
    };
    const canonical = (c: string) => (c.startsWith('SF') ? c : c.padStart(10, '0'));
    expect(vectors('person-record-valid-cros.csv').filter((c) => issued(c) !== canonical(c))).toEqual([]);
  });
});

describe('PNC forms as Prisoner Search indexes them', () => {
  it.each([
    ['12/394773H', { short: '12/394773H', long: '2012/394773H' }], // the Prisoner schema's own example
    ['2012/0394773H', { short: '12/394773H', long: '2012/394773H' }],
    ['79/163001B', { short: '79/163001B', long: '1979/163001B' }],
    ['20120394773H', null], // not a form that service reads as a PNC
  ])('indexes %j as %j', (raw, forms) => {
    expect(prisonerSearchPncForms(raw)).toEqual(forms);
  });

  it('compares PNCs across long and short forms, and slash-less text only literally', () => {
    expect(pncSearchKey('2012/0394773H')).toBe(pncSearchKey('12/394773h'));
    expect(pncSearchKey('20120394773H')).not.toBe(pncSearchKey('12/394773H'));
    expect(croSearchKey('029906/12J')).toBe(croSearchKey('29906/12J'));
  });
});

describe('names as a search index folds them', () => {
  it.each([["O'Brien-Smith", 'OBRIENSMITH'], ['Zoë', 'ZOE'], ['Øyvind', 'OYVIND'], ['Łukasz', 'LUKASZ'], ['Strauß', 'STRAUSS']])('folds %j to %j', (name, key) => {
    expect(indexedName(name)).toBe(key);
  });
});

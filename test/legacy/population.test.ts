import { describe, expect, it } from 'vitest';
import { normalisePnc } from '../../adapters/normalise.js';
import { FEMALE_POOL, MALE_POOL, SURNAME_POOL } from '../../legacy/name-pool.js';
import { INFORMAL_FORENAMES } from '../../legacy/names.js';
import { generatePopulation } from '../../legacy/population.js';

/** Informal forms the generator keys as mistakes, and the names they stand for. */
const INFORMAL = new Set(INFORMAL_FORENAMES.values());
const FORMAL = new Set(INFORMAL_FORENAMES.keys());
import { offenceCodes, resultCodes } from '../../reference/index.js';

describe('the synthetic population', () => {
  it('is the same for the same seed, and different for another', () => {
    const a = generatePopulation({ size: 200 });
    expect(JSON.stringify(generatePopulation({ size: 200 }))).toBe(JSON.stringify(a));
    expect(JSON.stringify(generatePopulation({ size: 200, seed: 7 }))).not.toBe(JSON.stringify(a));
  });

  it('puts the example person in every system, with a valid PNC', () => {
    const p = generatePopulation({ size: 50 });
    const i = p.examples.everywhere;
    const truth = p.people[i];
    expect(normalisePnc(truth.pnc).valid).toBe(true);
    expect(p.police.some((n) => n.personIndex === i)).toBe(true);
    expect(p.courts.cases.some((c) => c.personIndex === i)).toBe(true);
    expect(p.prisons.some((o) => o.personIndex === i)).toBe(true);
    expect(p.probation.some((o) => o.personIndex === i)).toBe(true);
    expect(p.victims.some((v) => v.offenderPersonIndex === i)).toBe(true);
  });

  it('uses only real CJS offence and result codes', () => {
    const p = generatePopulation({ size: 300 });
    for (const c of p.courts.cases) for (const o of c.offences) {
      expect(offenceCodes().has(o.offenceCode), o.offenceCode).toBe(true);
      for (const r of o.results) expect(resultCodes().has(r.code), r.code).toBe(true);
    }
  });

  it('has the mess of real data: mistyped and short-form PNCs, and conflicting dates of birth', () => {
    const p = generatePopulation({ size: 2000 });
    const pncs = [...p.police, ...p.courts.defendants, ...p.prisons, ...p.probation].map((r) => r.pnc).filter((x): x is string => !!x);
    expect(pncs.some((x) => !normalisePnc(x).valid)).toBe(true);
    expect(pncs.some((x) => /^\d{2}\//.test(x))).toBe(true);
    expect(p.police.some((n) => n.dateOfBirth !== p.people[n.personIndex].dateOfBirth)).toBe(true);
  });
});

describe('the synthetic population\'s names', () => {
  it('are long-tailed as real names are: thousands of surnames, a few common ones, few people sharing a full name', () => {
    const p = generatePopulation({ size: 20_000 });
    const count = (keys: string[]) => { const m = new Map<string, number>(); for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1); return m; };
    const surnames = count(p.people.map((x) => x.surname));
    expect(surnames.size).toBeGreaterThan(2_000);
    expect(Math.max(...surnames.values()) / p.people.length).toBeLessThan(0.02); // the commonest about 1 %
    expect(surnames.get('Smith')).toBeGreaterThan(100); // and the commonest really is common
    const men = p.people.filter((x) => x.sex === 'M');
    const fullNames = count(men.map((x) => `${x.forename} ${x.surname}`));
    expect(men.length / fullNames.size).toBeLessThan(1.3); // was about 5 men to each full name
    for (const x of p.people) expect(INFORMAL.has(x.forename) && !FORMAL.has(x.forename), x.forename).toBe(false);
  });

  it('keeps the names of the two example people, and the example PNC (names take no more random numbers than before)', () => {
    const p = generatePopulation({ size: 2000 });
    const [example, probableOnly] = [p.people[p.examples.everywhere], p.people[1]];
    expect([example.forename, example.middleName, example.surname]).toEqual(['Callum', 'Brian', 'Wright']);
    expect([probableOnly.forename, probableOnly.middleName, probableOnly.surname]).toEqual(['Brian', 'Ahmed', 'Roberts']);
    expect(example.pnc).toBe('2018/0100006A');
  });

  it('maps the whole unit interval onto the pool, the first name weighing most', () => {
    expect(SURNAME_POOL.draw(0)).toBe('Smith');
    expect(SURNAME_POOL.draw(0.999_999_999)).toBe(SURNAME_POOL.names.at(-1));
    expect(SURNAME_POOL.share('Smith')).toBeGreaterThan(SURNAME_POOL.share('Jones'));
    expect(MALE_POOL.share('David') + FEMALE_POOL.share('Sarah')).toBeGreaterThan(0.05);
  });
});

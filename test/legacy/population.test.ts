import { describe, expect, it } from 'vitest';
import { normalisePnc } from '../../adapters/normalise.js';
import { generatePopulation } from '../../legacy/population.js';
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

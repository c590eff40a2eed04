// Contract test for the prosecution stand-in: every case file it serves carries a prosecution case and a
// prosecuting authority that validate against HMCTS Common Platform's own JSON Schemas
// (reference/prosecution/common-platform/, draft-04, with ajv), and the adapter maps every one of them.
import { readdirSync, readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { mapCaseFile, wireKeys } from '../../adapters/prosecution/mapping.js';
import { populationCaseFiles } from '../../legacy/prosecution/server.js';
import { generatePopulation } from '../../legacy/population.js';

const DIR = new URL('../../reference/prosecution/common-platform/global/', import.meta.url);
// The schemas' date pattern escapes '-', which is not valid under the unicode flag: patterns are compiled without it.
const ajv = new (AjvDraft04 as unknown as typeof AjvDraft04.default)({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: false });
for (const f of readdirSync(DIR).filter((x) => x.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(new URL(f, DIR), 'utf8')));
const validateCase = ajv.getSchema('http://justice.gov.uk/core/courts/external/apiProsecutionCase.json')!;
const validateAuthority = ajv.getSchema('http://justice.gov.uk/core/courts/external/apiProsecutingAuthority.json')!;

const population = generatePopulation({ size: 200 });
const files = populationCaseFiles(population);

describe('prosecution contract: Common Platform prosecution case and prosecuting authority', () => {
  it('serves one case file per charged case of the population', () => {
    expect(files.length).toBe(population.courts.cases.length);
    expect(files.length).toBeGreaterThan(50);
  });

  it('every prosecution case validates against apiProsecutionCase.json', () => {
    const failures = files.filter((f) => !validateCase(f.prosecutionCase)).map((f) => ({ urn: (f.prosecutionCase.prosecutionCaseIdentifier as { caseURN: string }).caseURN, errors: validateCase.errors?.slice(0, 3) }));
    expect(failures.slice(0, 3)).toEqual([]);
  });

  it('every prosecuting authority validates against apiProsecutingAuthority.json', () => {
    expect(files.filter((f) => !validateAuthority(f.prosecutingAuthority)).length).toBe(0);
  });

  it('the schemas are not vacuous: a case without defendants, or with a field Common Platform does not have, is refused', () => {
    const good = files[0].prosecutionCase;
    expect(validateCase(good)).toBe(true);
    expect(validateCase({ ...good, defendants: [] })).toBe(false);
    expect(validateCase({ ...good, chargingDecision: 'CHARGE' })).toBe(false);
    expect(validateAuthority({ name: 'no id or code' })).toBe(false);
  });

  it('the adapter maps every served file, keyed by its URN, ASNs and PNC', () => {
    for (const f of files) {
      const mapped = mapCaseFile(JSON.parse(JSON.stringify(f)), '2026-11-01T10:00:00Z');
      expect(mapped).not.toBeInstanceOf(AdapterError);
      if (mapped instanceof AdapterError) continue;
      expect(wireKeys(f as never)).toContain(`URN:${mapped.urn}`);
      expect(mapped.provenance).toMatchObject({ agency: 'PROSECUTION', recordId: mapped.urn });
      for (const d of mapped.defendants) expect(d.asn.valid).toBe(true);
    }
  });

  it('a file without a case URN is BAD_SOURCE_DATA for that file, naming its id and nothing of the payload', () => {
    const broken = JSON.parse(JSON.stringify(files[0]));
    delete broken.prosecutionCase.prosecutionCaseIdentifier;
    const mapped = mapCaseFile(broken, '2026-11-01T10:00:00Z');
    expect(mapped).toBeInstanceOf(AdapterError);
    expect((mapped as AdapterError).code).toBe('BAD_SOURCE_DATA');
    expect((mapped as AdapterError).message).toBe(`prosecution record ${broken.prosecutionCase.id} could not be read`);
  });
});

// The disclosure report's journey from subgraph to gateway: a compact header the gateway reads and
// strips, and the body only when the report is too large for a header (announced by the header).
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AgencyDataSource, SubgraphResilience } from '../../gateway/datasource.js';
import { decodeDisclosures, DISCLOSURES_HEADER, DISCLOSURES_IN_BODY, encodeDisclosures, type DisclosureEntry } from '../../subgraphs/disclosures.js';

const entry = (i: number, decision: DisclosureEntry['decision'] = 'DISCLOSED'): DisclosureEntry => ({
  agency: 'fixture', coordinate: `Thing.f${i % 7}`, decision, rule: 'ROLE : * | own', agreement: i % 2 ? null : 'ISA-X',
  ...(decision === 'WITHHELD' ? { reason: 'NOT_PERMITTED' } : {}), subjectIds: [`fixture=${1000 + i}`, `case=URN${i % 5}`],
});

function receive(headers: Record<string, string>, body: Record<string, unknown>) {
  const ds = new AgencyDataSource({ name: 'fixture', url: 'http://fixture.invalid/graphql', resilience: new SubgraphResilience(1000, 5, 1000), log: pino({ level: 'silent' }) as never });
  const context = { disclosures: [] as DisclosureEntry[] };
  const response = { ...body, http: { headers: new Headers(headers) } } as never;
  const out = ds.didReceiveResponse({ response, context, request: {} as never, pathInIncomingRequest: undefined } as never) as { extensions?: Record<string, unknown> };
  return { out, disclosures: context.disclosures };
}

describe('the disclosure report', () => {
  it('round-trips through the compact header form, every field and subject kept', () => {
    const report = [entry(1), entry(2, 'WITHHELD'), entry(3)];
    const header = encodeDisclosures(report)!;
    expect(header).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeDisclosures(header)).toEqual(report);
  });

  it('stays small for a wave about hundreds of people, and gives way to the body past the budget', () => {
    const wave = Array.from({ length: 500 }, (_, i) => entry(i));
    const header = encodeDisclosures(wave);
    expect(header).not.toBeNull();
    expect(header!.length).toBeLessThan(12_000);
    expect(encodeDisclosures(wave, 100)).toBeNull();
  });

  it('is read from the header by the gateway, and the body reaches the client untouched', () => {
    const report = [entry(1)];
    const { out, disclosures } = receive({ [DISCLOSURES_HEADER]: encodeDisclosures(report)! }, { data: { x: 1 } });
    expect(disclosures).toEqual(report);
    expect(out.extensions).toBeUndefined();
  });

  it('is taken from the body, and stripped, when the header announces it there (or a subgraph of before the header sent none)', () => {
    const report = [entry(1)];
    const announced = receive({ [DISCLOSURES_HEADER]: DISCLOSURES_IN_BODY }, { data: {}, extensions: { disclosures: report } });
    expect(announced.disclosures).toEqual(report);
    expect(announced.out.extensions).toEqual({});
    const older = receive({}, { data: {}, extensions: { disclosures: report } });
    expect(older.disclosures).toEqual(report);
    expect(older.out.extensions).toEqual({});
    // With a header report, a report in the body is not believed twice, and never passed on.
    const both = receive({ [DISCLOSURES_HEADER]: encodeDisclosures(report)! }, { data: {}, extensions: { disclosures: [entry(2)] } });
    expect(both.disclosures).toEqual(report);
    expect(both.out.extensions).toEqual({});
  });

  it('withholds the answer when the header cannot be read: what the audit cannot record is not disclosed', () => {
    const { out, disclosures } = receive({ [DISCLOSURES_HEADER]: 'not-a-report' }, { data: { secret: 'x' } });
    expect(disclosures).toEqual([]);
    expect(out).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'SOURCE_UNAVAILABLE', agency: 'fixture' } })] });
  });
});

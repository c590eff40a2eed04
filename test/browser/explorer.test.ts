// The explorer in a real Chromium, as a frontend developer uses it: open it, pick a role and a purpose,
// run the README query, see the data, each withheld field's reason and agreement, and the id of the
// audit record the request left; read the schema docs. Everything the page loads comes from the gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../../platform/stack.js';
import { launchChromium, watchProblems } from './chromium.js';

let stack: Stack;
let browser: Browser;
let page: Page;
let problems: string[];
const elsewhere: string[] = [];
let base: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ population: { size: 60 }, logLevel: 'silent' }), launchChromium()]);
  base = stack.gatewayUrl.replace(/\/graphql$/, '');
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  problems = watchProblems(page);
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) elsewhere.push(r.url()); });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const example = () => stack.population.people[stack.population.examples.everywhere];
const panel = () => page.getByRole('complementary', { name: 'Disclosure' });
/** Waits for what the page shows; generous, as a busy CI machine can take seconds to answer the README query. */
const shows = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 25_000, interval: 100 });

describe('the explorer in Chromium', { timeout: 90_000 }, () => {
  it('opens from the gateway\'s own address with a development token and the README query', async () => {
    await page.goto(`${base}/`);
    expect(page.url()).toBe(`${base}/explorer`);
    await shows(() => page.getByTestId('identity').innerText()).toMatch(/Token: explorer-police-police_officer/);
    await page.getByRole('button', { name: /execute query/i }).waitFor();
    expect(await page.locator('.graphiql-query-editor').innerText()).toContain('personByIdentifier(type: PNC, value: $pnc)');
  });

  it('runs the README query as a probation officer and shows the data, the withheld fields with reason and agreement, and the audit record id', async () => {
    await page.getByLabel('Agency').selectOption('PROBATION');
    expect(await page.getByLabel('Role').inputValue()).toBe('PROBATION_OFFICER');
    await page.getByLabel('Purpose').selectOption('OFFENDER_MANAGEMENT');
    await page.getByLabel('Justification').fill('sentence plan review');
    await page.getByRole('button', { name: 'Use this identity' }).click();
    await shows(() => page.getByTestId('identity').innerText()).toMatch(/Token: explorer-probation-probation_officer \(PROBATION_OFFICER, PROBATION\)/);

    await page.getByRole('button', { name: /execute query/i }).click();
    await page.getByTestId('request-id').waitFor();
    await shows(() => page.getByTestId('status').innerText()).toBe('200');
    // The data: the example person in GraphiQL's response pane (the whole text of its editor: errors come
    // first there, the data below them, out of view until scrolled).
    const shown = JSON.parse(await page.evaluate<string>("document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()"));
    expect(shown.data.personByIdentifier.name.surname.toLowerCase()).toBe(example().surname.toLowerCase());
    expect(shown.data.personByIdentifier.supervision.crn).toBe(example().crn);
    expect(shown.data.personByIdentifier.arrests).toBeNull();

    // A withheld field with its reason and agreement, as a frontend developer reads it.
    const arrests = panel().locator('li[data-field="Person.arrests"]');
    await shows(() => arrests.innerText()).toMatch(/NOT_ON_CASELOAD: the person is not on the caller's caseload/);
    expect(await arrests.innerText()).toMatch(/Agreement: ISA-POLICE-HMPPS \(Police risk information to prisons and probation \(MAPPA\)/);
    expect(await panel().locator('li[data-field="Case.victims"]').innerText()).toMatch(/NOT_PERMITTED[\s\S]*Agreement: none/);

    // The id shown is the audit record's: who asked, why, and what was withheld.
    const requestId = await page.getByTestId('request-id').innerText();
    const head = await stack.audit.store.head();
    const [rec] = await stack.audit.store.readRange(head!.seq, 1);
    expect(rec).toMatchObject({ requestId, purpose: 'OFFENDER_MANAGEMENT', justification: 'sentence plan review', caller: { agency: 'PROBATION', roles: ['PROBATION_OFFICER'] } });
    expect(rec.withheld.map((w) => w.coordinate)).toContain('Person.arrests');
  });

  it('shows the schema docs', async () => {
    await page.getByRole('button', { name: /show documentation explorer/i }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).first().click();
    await shows(() => docs.innerText()).toMatch(/personByIdentifier/);
    await shows(() => docs.innerText()).toMatch(/searchPeople/);
  });

  it('loaded nothing from anywhere but the gateway, and the page reported no errors', () => {
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  });
});

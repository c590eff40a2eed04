// npm run conformance -- <slug>: the checks an agency passes before it joins the graph (see
// subgraphs/conformance.ts): composition, policy coverage, the builder's surface (body, disclosure
// header, ftv1), the caller-assertion handshake, error hygiene and its adapter's contract tests.
// Exits 1 when any check fails. The federation behaviour of the builder itself is proved by
// test/conformance/federation.test.ts (`npx vitest run test/conformance`).
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
const { report, runConformance } = await import('../subgraphs/conformance.js');

const slug = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!slug) {
  console.error('usage: npm run conformance -- <slug>');
  process.exit(2);
}
const results = await runConformance(slug, { contracts: !process.argv.includes('--no-contracts') });
console.log(report(slug, results));
process.exit(results.every((r) => r.ok) ? 0 : 1);

// npm run identity:train — estimates the match model's weights and thresholds on a synthetic labelled
//   population (legacy/mess.ts, training seed) and writes schema/identity/match-weights.json.
// npm run identity:eval — scores the reviewed weights on a held-out set (another seed): precision and
//   recall of PROBABLE and of PROBABLE + POSSIBLE, confusion counts, examples of misses, and the same
//   figures for the rule list the model replaced (exact surname search, rules on name and date of birth).
//   Exits non-zero below the acceptance thresholds (CI). Options: --seed N --people N --pairs N.
import { writeFileSync } from 'node:fs';
import { forenamesMatch, nameKey } from '../adapters/normalise.js';
import { generateMessySet, type MessRecord } from '../legacy/mess.js';
import { BlockingIndex, evaluate, scorePairs, type Evaluation, type LabelledRecord, type ScoredPair } from '../subgraphs/identity/match/evaluate.js';
import { explain, matchWeights, score, type MatchWeights } from '../subgraphs/identity/match/model.js';
import { estimate } from '../subgraphs/identity/match/train.js';

export const TRAINING = { seed: 20261101, people: 20_000, duplicates: 5_000 };
export const HELD_OUT = { seed: 20261225, people: 20_000, duplicates: 5_000 };
/** Acceptance (issue 12): PROBABLE + POSSIBLE recall ≥ 95 % at precision ≥ 99.5 %; PROBABLE precision ≥ 99.9 %. */
export const TARGETS = { probableOrPossibleRecall: 0.95, probableOrPossiblePrecision: 0.995, probablePrecision: 0.999 };

/** A generated record as the model sees it: an impossible date keeps its legible year. */
export function labelled(r: MessRecord): LabelledRecord {
  const year = r.dateOfBirthRecorded ? Number(r.dateOfBirthRecorded.slice(0, 4)) : null;
  return { id: r.id, personIndex: r.personIndex, forenames: r.forenames, surname: r.surname, dateOfBirth: r.dateOfBirth, birthYear: year, sex: r.sex, postcode: r.postcode };
}

/**
 * The rule list the model replaced, kept to measure against: searched by exact surname key only (no
 * adapter sent the forename), PROBABLE on same surname, date of birth and forename (or a known variant),
 * POSSIBLE on same surname and date of birth, or same name with day/month swapped or a year out.
 */
function baselineGrade(q: LabelledRecord, r: LabelledRecord): 'PROBABLE' | 'POSSIBLE' | null {
  if (nameKey(q.surname) !== nameKey(r.surname)) return null;
  const fa = q.forenames[0] ?? '', fb = r.forenames[0] ?? '';
  const sameDob = q.dateOfBirth != null && q.dateOfBirth === r.dateOfBirth;
  if (sameDob && (nameKey(fa) === nameKey(fb) || forenamesMatch(fa, fb))) return 'PROBABLE';
  if (sameDob) return 'POSSIBLE';
  if (q.dateOfBirth && r.dateOfBirth && forenamesMatch(fa, fb)) {
    const [ya, ma, da] = q.dateOfBirth.split('-'), [yb, mb, db] = r.dateOfBirth.split('-');
    if ((ya === yb && ma === db && da === mb && da !== ma) || (ma === mb && da === db && Math.abs(Number(ya) - Number(yb)) === 1)) return 'POSSIBLE';
  }
  return null;
}

function baseline(queries: LabelledRecord[], index: LabelledRecord[]) {
  const bySurname = new Map<string, LabelledRecord[]>();
  for (const r of index) { const k = nameKey(r.surname); (bySurname.get(k) ?? bySurname.set(k, []).get(k)!).push(r); }
  const c = { probable: { tp: 0, fp: 0 }, any: { tp: 0, fp: 0 }, blocked: 0 };
  for (const q of queries) {
    for (const r of bySurname.get(nameKey(q.surname)) ?? []) {
      const match = q.personIndex === r.personIndex;
      if (match) c.blocked++;
      const g = baselineGrade(q, r);
      if (g === 'PROBABLE') c.probable[match ? 'tp' : 'fp']++;
      if (g) c.any[match ? 'tp' : 'fp']++;
    }
  }
  const fig = (x: { tp: number; fp: number }) => ({ precision: x.tp / Math.max(1, x.tp + x.fp), recall: x.tp / queries.length, tp: x.tp, fp: x.fp });
  return { blockingRecall: c.blocked / queries.length, probable: fig(c.probable), probableOrPossible: fig(c.any) };
}

function dataset(opts: { seed: number; people: number; duplicates: number }) {
  const set = generateMessySet(opts);
  return { set, queries: set.queries.map(labelled), index: set.index.map(labelled) };
}

const pct = (n: number) => `${(n * 100).toFixed(2)} %`;

function args(): Partial<typeof HELD_OUT> {
  const out: Record<string, number> = {};
  const argv = process.argv.slice(3);
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    const key = name === 'pairs' ? 'duplicates' : name;
    if (!['seed', 'people', 'duplicates'].includes(key) || !/^\d+$/.test(argv[i + 1] ?? '')) throw new Error(`expected --seed N, --people N or --pairs N, got ${argv[i]} ${argv[i + 1] ?? ''}`);
    out[key] = Number(argv[i + 1]);
  }
  return out;
}

function train(): void {
  const opts = { ...TRAINING, ...args() };
  const { queries, index } = dataset(opts);
  const weights = estimate(queries, index, { trainedOn: { generator: 'legacy/mess.ts', ...opts, note: 'held-out evaluation uses another seed (npm run identity:eval)' } });
  writeFileSync(new URL('../schema/identity/match-weights.json', import.meta.url), JSON.stringify(weights, null, 2) + '\n');
  console.log(`wrote schema/identity/match-weights.json: PROBABLE from ${weights.thresholds.PROBABLE}, POSSIBLE from ${weights.thresholds.POSSIBLE}`);
}

function report(title: string, e: Evaluation): void {
  console.log(`\n${title}: ${e.truePairs} true pairs, ${e.blockedPairs} pairs surfaced by the searches, blocking recall ${pct(e.blockingRecall)}`);
  console.log('| grade | precision | recall | true positives | false positives | false negatives |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, f] of [['PROBABLE', e.probable], ['PROBABLE + POSSIBLE', e.probableOrPossible]] as const) {
    console.log(`| ${name} | ${pct(f.precision)} | ${pct(f.recall)} | ${f.truePositives} | ${f.falsePositives} | ${f.falseNegatives} |`);
  }
}

function evaluation(weights: MatchWeights = matchWeights()): boolean {
  const opts = { ...HELD_OUT, ...args() };
  const { set, queries, index } = dataset(opts);
  const started = Date.now();
  const pairs: ScoredPair[] = scorePairs(queries, new BlockingIndex(index), weights);
  const e = evaluate(pairs, queries.length, weights);
  console.log(`held-out set: seed ${opts.seed}, ${opts.people} people, ${opts.duplicates} true pairs (legacy/mess.ts); scored in ${Date.now() - started} ms`);
  console.log(`thresholds: PROBABLE from ${weights.thresholds.PROBABLE}, POSSIBLE from ${weights.thresholds.POSSIBLE} (schema/identity/match-weights.json)`);
  report('match model', e);
  const b = baseline(queries, index);
  console.log(`\nbefore (exact surname search, rule list): blocking recall ${pct(b.blockingRecall)}`);
  console.log('| grade | precision | recall | true positives | false positives |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(`| PROBABLE | ${pct(b.probable.precision)} | ${pct(b.probable.recall)} | ${b.probable.tp} | ${b.probable.fp} |`);
  console.log(`| PROBABLE + POSSIBLE | ${pct(b.probableOrPossible.precision)} | ${pct(b.probableOrPossible.recall)} | ${b.probableOrPossible.tp} | ${b.probableOrPossible.fp} |`);

  const byId = new Map([...queries, ...index].map((r) => [r.id, r]));
  const found = new Set(pairs.filter((p) => p.match && p.weight >= weights.thresholds.POSSIBLE).map((p) => p.query));
  // Recall by the kind of mistake the pair carries (either record), to show where the misses are.
  const kinds = new Map<string, { pairs: number; found: number }>();
  set.queries.forEach((q, i) => {
    const pairKinds = new Set([...q.mistakes, ...set.index[q.personIndex].mistakes]);
    if (pairKinds.size === 0) pairKinds.add('(no mistake)');
    for (const k of pairKinds) {
      const c = kinds.get(k) ?? { pairs: 0, found: 0 };
      c.pairs++;
      if (found.has(queries[i].id)) c.found++;
      kinds.set(k, c);
    }
  });
  console.log('\nPROBABLE + POSSIBLE recall by mistake in the pair (a pair may carry several):');
  console.log('| mistake | pairs | recall |');
  console.log('| --- | --- | --- |');
  for (const [k, c] of [...kinds].sort((a, b) => b[1].pairs - a[1].pairs)) console.log(`| ${k} | ${c.pairs} | ${pct(c.found / c.pairs)} |`);
  const missed = queries.filter((q) => !found.has(q.id)).slice(0, 5);
  const show = (r: LabelledRecord) => `${r.forenames.join(' ') || '-'} ${r.surname} ${r.dateOfBirth ?? (r.birthYear ? `(${r.birthYear})` : '-')} ${r.sex ?? '-'} ${r.postcode ?? '-'}`;
  console.log('\nexamples of true pairs not graded:');
  for (const q of missed) {
    const r = index.find((x) => x.personIndex === q.personIndex)!;
    console.log(`  ${show(q)}  ~  ${show(r)}: ${explain(score(q, r, weights), weights)}`);
  }
  const wrong = pairs.filter((p) => !p.match && p.weight >= weights.thresholds.POSSIBLE).slice(0, 5);
  console.log('examples of different people graded:');
  for (const p of wrong) console.log(`  ${show(byId.get(p.query)!)}  ~  ${show(byId.get(p.record)!)}: ${explain(score(byId.get(p.query)!, byId.get(p.record)!, weights), weights)}`);

  const ok = e.probableOrPossible.recall >= TARGETS.probableOrPossibleRecall && e.probableOrPossible.precision >= TARGETS.probableOrPossiblePrecision && e.probable.precision >= TARGETS.probablePrecision;
  console.log(`\ntargets (recall ≥ ${pct(TARGETS.probableOrPossibleRecall)} at precision ≥ ${pct(TARGETS.probableOrPossiblePrecision)}; PROBABLE precision ≥ ${pct(TARGETS.probablePrecision)}): ${ok ? 'met' : 'NOT met'}`);
  return ok;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const command = process.argv[2];
  if (command === 'train') train();
  else if (command === 'eval') process.exitCode = evaluation() ? 0 : 1;
  else { console.error('usage: tsx scripts/identity-match.ts train|eval [--seed N --people N --pairs N]'); process.exitCode = 2; }
}

// npm run identity:train — estimates the match model's weights and thresholds on a synthetic labelled
//   population (legacy/mess.ts, training seed) and writes schema/identity/match-weights.json.
// npm run identity:eval — scores the reviewed weights on a held-out set (another seed): precision and
//   recall of PROBABLE and of PROBABLE + POSSIBLE, confusion counts, examples of misses, and the same
//   figures for the rule list the model replaced (exact surname search, rules on name and date of birth).
//   Exits non-zero below the acceptance thresholds. Options: --seed N --people N --pairs N.
// npm run identity:eval -- --pairs-csv FILE — scores a labelled pairs file instead (shape in README,
//   "Identity matching"): precision and recall per grade over the file's pairs.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
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
    if (name === 'pairs-csv') continue;
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
  const trained = weights.trainedOn as { seed?: number };
  console.log(`held-out set: seed ${opts.seed}, ${opts.people} people, ${opts.duplicates} true pairs (legacy/mess.ts); scored in ${Date.now() - started} ms`);
  console.log(`weights trained on seed ${trained.seed ?? '?'}${trained.seed === opts.seed ? ' — THE SAME SEED: this is not a held-out evaluation' : ' (another seed: held out)'}`);
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
  // The misses, by cause: never surfaced by any search (blocking) or surfaced and weighed below POSSIBLE (scoring).
  const surfaced = new Set(pairs.filter((p) => p.match).map((p) => p.query));
  const blockingMisses = queries.filter((q) => !surfaced.has(q.id));
  const scoringMisses = queries.filter((q) => surfaced.has(q.id) && !found.has(q.id));
  console.log(`\nmisses: ${blockingMisses.length + scoringMisses.length} true pairs not graded: ${blockingMisses.length} never surfaced by a search (blocking), ${scoringMisses.length} surfaced but below POSSIBLE (scoring)`);
  const show = (r: LabelledRecord) => `${r.forenames.join(' ') || '-'} ${r.surname} ${r.dateOfBirth ?? (r.birthYear ? `(${r.birthYear})` : '-')} ${r.sex ?? '-'} ${r.postcode ?? '-'}`;
  const byPerson = new Map(index.map((r) => [r.personIndex, r]));
  console.log('examples of true pairs not surfaced by the searches:');
  for (const q of blockingMisses.slice(0, 3)) console.log(`  ${show(q)}  ~  ${show(byPerson.get(q.personIndex)!)}`);
  console.log('examples of true pairs surfaced but not graded:');
  for (const q of scoringMisses.slice(0, 5)) {
    const r = byPerson.get(q.personIndex)!;
    console.log(`  ${show(q)}  ~  ${show(r)}: ${explain(score(q, r, weights), weights)}`);
  }
  const wrong = pairs.filter((p) => !p.match && p.weight >= weights.thresholds.POSSIBLE).slice(0, 5);
  console.log('examples of different people graded:');
  for (const p of wrong) console.log(`  ${show(byId.get(p.query)!)}  ~  ${show(byId.get(p.record)!)}: ${explain(score(byId.get(p.query)!, byId.get(p.record)!, weights), weights)}`);

  const ok = e.probableOrPossible.recall >= TARGETS.probableOrPossibleRecall && e.probableOrPossible.precision >= TARGETS.probableOrPossiblePrecision && e.probable.precision >= TARGETS.probablePrecision;
  console.log(`\ntargets (recall ≥ ${pct(TARGETS.probableOrPossibleRecall)} at precision ≥ ${pct(TARGETS.probableOrPossiblePrecision)}; PROBABLE precision ≥ ${pct(TARGETS.probablePrecision)}): ${ok ? 'met' : 'NOT met'}`);
  return ok;
}

/** One side of a labelled pair, read from the CSV columns with the given prefix. */
function side(row: Record<string, string>, prefix: 'left' | 'right', i: number): LabelledRecord {
  const v = (k: string) => (row[`${prefix}_${k}`] ?? '').trim();
  const dob = v('date_of_birth');
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(dob) && !Number.isNaN(Date.parse(`${dob}T00:00:00Z`)) && new Date(`${dob}T00:00:00Z`).toISOString().startsWith(dob) ? dob : null;
  const year = !iso && /^(19|20)\d\d/.test(dob.replace(/\D/g, '')) ? Number(dob.replace(/\D/g, '').slice(0, 4)) : null;
  const sex = ({ M: 'MALE', MALE: 'MALE', F: 'FEMALE', FEMALE: 'FEMALE' } as Record<string, string>)[v('sex').toUpperCase()] ?? null;
  return { id: v('id') || `${prefix}${i}`, personIndex: -1, forenames: v('forenames').split(/\s+/).filter(Boolean), surname: v('surname') || null, dateOfBirth: iso, birthYear: year, sex, postcode: v('postcode') || null };
}

/**
 * Scores a labelled pairs file: one row per pair, columns left_forenames, left_surname,
 * left_date_of_birth, left_sex, left_postcode, the same with right_, and match (1/0, true/false, yes/no);
 * optional left_id and right_id. No searching: every row is a pair to grade.
 */
export function evaluatePairsFile(text: string, weights: MatchWeights = matchWeights()) {
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  const c = { matches: 0, probable: { tp: 0, fp: 0 }, any: { tp: 0, fp: 0 } };
  rows.forEach((row, i) => {
    const match = /^(1|true|yes|y)$/i.test(row.match ?? '');
    if (!/^(0|1|true|false|yes|no|y|n)$/i.test(row.match ?? '')) throw new Error(`row ${i + 2}: match must be 1/0, true/false or yes/no`);
    if (match) c.matches++;
    const g = score(side(row, 'left', i), side(row, 'right', i), weights).grade;
    if (g === 'PROBABLE') c.probable[match ? 'tp' : 'fp']++;
    if (g) c.any[match ? 'tp' : 'fp']++;
  });
  const fig = (x: { tp: number; fp: number }) => ({ precision: x.tp / Math.max(1, x.tp + x.fp), recall: x.tp / Math.max(1, c.matches), truePositives: x.tp, falsePositives: x.fp, falseNegatives: c.matches - x.tp });
  return { pairs: rows.length, matches: c.matches, probable: fig(c.probable), probableOrPossible: fig(c.any) };
}

function pairsFile(file: string): boolean {
  const e = evaluatePairsFile(readFileSync(file, 'utf8'));
  console.log(`${file}: ${e.pairs} labelled pairs, ${e.matches} of them the same person (each row graded as given: no search)`);
  console.log('| grade | precision | recall | true positives | false positives | false negatives |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, f] of [['PROBABLE', e.probable], ['PROBABLE + POSSIBLE', e.probableOrPossible]] as const) {
    console.log(`| ${name} | ${pct(f.precision)} | ${pct(f.recall)} | ${f.truePositives} | ${f.falsePositives} | ${f.falseNegatives} |`);
  }
  const ok = e.probableOrPossible.recall >= TARGETS.probableOrPossibleRecall && e.probableOrPossible.precision >= TARGETS.probableOrPossiblePrecision && e.probable.precision >= TARGETS.probablePrecision;
  console.log(`targets: ${ok ? 'met' : 'NOT met'}`);
  return ok;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const command = process.argv[2];
  if (command === 'train') train();
  else if (command === 'eval') {
    const at = process.argv.indexOf('--pairs-csv');
    process.exitCode = (at > 0 ? pairsFile(process.argv[at + 1]) : evaluation()) ? 0 : 1;
  }
  else { console.error('usage: tsx scripts/identity-match.ts train|eval [--seed N --people N --pairs N | --pairs-csv FILE]'); process.exitCode = 2; }
}

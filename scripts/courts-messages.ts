// Writes the synthetic population's court results as delivered Libra messages, one file per message
// (`<PTIURN>-<n>.xml`, the CJSE DeliverRequest envelope around a ResultedCaseMessage 0.6g), into a folder:
// the format the courts stand-in serves and reads back with COURTS_LIBRA_DIR.
//   npm run courts:messages -- <folder>     (POPULATION_SIZE / POPULATION_SEED choose the population)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { populationMessages } from '../legacy/courts/server.js';
import { generatePopulation } from '../legacy/population.js';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npm run courts:messages -- <folder>');
  process.exit(2);
}
const size = Number(process.env.POPULATION_SIZE ?? 2000);
const seed = Number(process.env.POPULATION_SEED ?? 20261101);
if (!Number.isInteger(size) || size < 0 || !Number.isInteger(seed)) {
  console.error('POPULATION_SIZE and POPULATION_SEED must be whole numbers');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const messages = populationMessages(generatePopulation({ size, seed }));
for (const m of messages) {
  const id = /<msg:MessageIdentifier>([^<]+)<\/msg:MessageIdentifier>/.exec(m.xml)![1];
  writeFileSync(join(dir, `${id}.xml`), m.text);
}
console.log(`wrote ${messages.length} Libra result messages to ${dir}`);

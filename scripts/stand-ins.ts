// npm run stand-ins: the stand-in legacy systems alone, in one process of their own, with the
// control API beside them. Prints, on standard output, the environment that points the stack at them
// (`export NAME='value'` lines, ending with a `# stand-ins ready` line); `npm start` run with that
// environment uses these systems instead of starting its own. Progress and help go to standard error.
// POPULATION_SIZE / POPULATION_SEED choose the population; STAND_INS_CONTROL_PORT the control port
// (default: any free port); STAND_INS_ENV_FILE also writes the environment as a .env file.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

import { writeFileSync } from 'node:fs';
import { startControlServer } from '../legacy/control.js';
import type { StandIn } from '../legacy/faults.js';
import { gatherWorklists, generatePopulation } from '../legacy/population.js';
import { loadSubgraphs, SUBGRAPH_NAMES } from '../subgraphs/index.js';
import { orExit, pickSettings } from '../platform/config.js';

const settings = orExit(() => pickSettings(process.env, ['NODE_ENV', 'POPULATION_SIZE', 'POPULATION_SEED', 'STAND_INS_CONTROL_PORT', 'STAND_INS_ENV_FILE']));
if (settings.NODE_ENV === 'production') {
  // Stand-ins hold a synthetic population and development credentials: never part of a deployment.
  console.error('npm run stand-ins refuses to run with NODE_ENV=production');
  process.exit(1);
}

const started = Date.now();
const size = settings.POPULATION_SIZE;
const seed = settings.POPULATION_SEED;
const controlPort = settings.STAND_INS_CONTROL_PORT;

const population = generatePopulation({ size, seed });
// npm run bench only: one offender manager, liaison officer and establishment with worklists of this many people.
const worklistPeople = Number(process.env.BENCH_WORKLIST_PEOPLE ?? 0);
if (!Number.isInteger(worklistPeople) || worklistPeople < 0) {
  console.error(`BENCH_WORKLIST_PEOPLE must be a whole number, got "${process.env.BENCH_WORKLIST_PEOPLE}"`);
  process.exit(1);
}
if (worklistPeople > 0) gatherWorklists(population, worklistPeople);
const standIns = new Map<string, StandIn>();
let control: Awaited<ReturnType<typeof startControlServer>> | undefined;

async function close(): Promise<void> {
  await control?.close();
  await Promise.allSettled([...standIns.values()].map((s) => s.close()));
}

try {
  const modules = (await loadSubgraphs(SUBGRAPH_NAMES)).filter((m) => m.standIn);
  await Promise.all(modules.map(async (m) => {
    const start = await m.standIn!();
    standIns.set(m.name, await start({ population, network: true }));
  }));
  control = await startControlServer(standIns, { port: controlPort });
} catch (err) {
  console.error(`stand-ins failed to start: ${(err as Error).message}`);
  await close();
  process.exit(1);
}

const env: Record<string, string> = { STAND_INS_CONTROL_URL: control.url };
for (const s of standIns.values()) Object.assign(env, s.env);
const quote = (v: string) => `'${v.replaceAll("'", `'\\''`)}'`;
if (settings.STAND_INS_ENV_FILE) {
  writeFileSync(settings.STAND_INS_ENV_FILE, Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
}
process.stdout.write(`${Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}`).join('\n')}\n# stand-ins ready\n`);
console.error(`
stand-in legacy systems up in ${((Date.now() - started) / 1000).toFixed(1)} s (population ${size}, seed ${seed}):
${[...standIns].map(([n, s]) => `  ${n.padEnd(11)} ${s.location}`).join('\n')}
  control     ${control.url}  (GET /requests, POST /requests/reset, GET /faults, PUT /faults/<agency|*>, POST /faults/reset)

Point the stack at them: paste the export lines above into another terminal, then npm start.
Ctrl-C to stop.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Started by another process with an IPC channel (the benchmark): go when it goes.
process.on('disconnect', stop);

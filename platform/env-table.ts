// The README's table of environment variables, whole: the settings schema (platform/config.ts) and each
// registered agency's own settings, which its adapter declares (`adapters/<slug>/config.ts` exports
// `SETTINGS_TABLE`), found through the registry, so an agency that joins brings its rows with it.
import { existsSync } from 'node:fs';
import { SUBGRAPH_NAMES } from '../subgraphs/index.js';
import { envTable as render, withEnvTable as replace, type SettingRow } from './config.js';

async function agencyRows(): Promise<SettingRow[]> {
  const rows: SettingRow[] = [];
  for (const name of SUBGRAPH_NAMES as readonly string[]) {
    if (!existsSync(new URL(`../adapters/${name}/config.ts`, import.meta.url))) continue;
    const mod = (await import(`../adapters/${name}/config.ts`)) as { SETTINGS_TABLE?: SettingRow[] };
    rows.push(...(mod.SETTINGS_TABLE ?? []));
  }
  return rows;
}

const AGENCY_ROWS = await agencyRows();

/** The table, as the README carries it between its markers. */
export const envTable = (): string => render(SUBGRAPH_NAMES, AGENCY_ROWS);
/** `readme` with its table replaced by the current one; throws when the markers are missing. */
export const withEnvTable = (readme: string): string => replace(readme, envTable());

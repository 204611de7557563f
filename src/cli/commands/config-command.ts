// `config`: prints the effective configuration, secrets masked, with where each value came from.

import { loadConfig, type ConfigFlags } from '../../config/config.js';
import { describeConfig, formatConfigRows } from '../../config/describe-config.js';
import { printResult, printWarning } from '../output.js';

export interface ConfigCommandFlags extends ConfigFlags {
  readonly json?: boolean;
}

export async function configCommand(flags: ConfigCommandFlags): Promise<void> {
  const config = await loadConfig(flags);
  config.warnings.forEach(printWarning);
  const rows = describeConfig(config);
  printResult(flags.json ? JSON.stringify(rows, null, 2) : formatConfigRows(rows));
}

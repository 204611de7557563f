// `check --drift --db URL`: the live database compared with what its recorded heads build from
// scratch; prints what is missing, extra or different, and exits 1 on drift.

import { checkDrift, DataRegistryError, type DriftReport } from '../../migrate/index.js';
import { printResult } from '../output.js';

export async function checkDriftCommand(options: {
  readonly folder: string;
  readonly databases: readonly string[];
  readonly versionTable: string | undefined;
  readonly format: 'text' | 'json';
}): Promise<void> {
  const [databaseUrl, ...more] = options.databases;
  if (databaseUrl === undefined || more.length > 0) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `--drift compares one database: give exactly one --db URL (${options.databases.length} given).`,
    );
  }
  const report = await checkDrift({
    folder: options.folder,
    databaseUrl,
    versionTable: options.versionTable,
  });
  printResult(options.format === 'json' ? JSON.stringify(toJson(report)) : formatText(report));
  if (report.hasDrift) {
    const { missing, extra, different } = report.difference;
    throw new DataRegistryError(
      'CHECK_FAILED',
      `check found drift in ${report.database}: ${missing.length} missing, ${extra.length} extra, ${different.length} different.`,
      { missing: missing.length, extra: extra.length, different: different.length },
    );
  }
}

function toJson(report: DriftReport) {
  return {
    drift: {
      database: report.database,
      server_version: report.serverVersion,
      heads: report.heads,
      has_drift: report.hasDrift,
      ...report.difference,
    },
  };
}

function formatText(report: DriftReport): string {
  const heads = report.heads.length === 0 ? 'base' : report.heads.join(', ');
  if (!report.hasDrift) {
    return `No drift: ${report.database} has the schema its heads (${heads}) build.`;
  }
  const { missing, extra, different } = report.difference;
  const shown = (definition: string) => (definition === '' ? '' : ` (${definition})`);
  return [
    `Drift in ${report.database} (${report.serverVersion}) from the schema its heads (${heads}) build:`,
    ...missing.map((o) => `  missing    ${o.object}${shown(o.definition)}`),
    ...extra.map((o) => `  extra      ${o.object}${shown(o.definition)}`),
    ...different.map((o) => `  different  ${o.object}: expected ${o.expected}, found ${o.actual}`),
    '',
    'Fix: write a revision that brings the database back to the revisions (or the revisions up to the database), so that the next upgrade starts from the schema it expects.',
  ].join('\n');
}

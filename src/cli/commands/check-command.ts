// `check`: lints the versions folder (the revision graph and each dialect's rules), round-trips
// it on real databases, and prints one block per finding, or one JSON object; exits 1 on an
// error (on a warning too with --strict), 75 when a database named cannot be reached.

import path from 'node:path';
import { dialectNames, type DialectName } from '../../db/dialect-name.js';
import {
  DataRegistryError,
  checkRevisions,
  lintRuleReasons,
  type CheckRevisionsResult,
  type Finding,
  type RoundTripOutcome,
} from '../../migrate/index.js';
import { settingsFrom, type MigrationFlags } from '../migration-context.js';
import { printResult } from '../output.js';

interface CheckFlags extends Omit<MigrationFlags, 'db'> {
  readonly db?: readonly string[];
  readonly roundTrip?: boolean;
  readonly drift?: boolean;
  readonly dialect?: string;
  readonly from?: string;
  readonly format?: string;
  readonly strict?: boolean;
}

export async function checkCommand(flags: CheckFlags): Promise<void> {
  const format = parseFormat(flags.format);
  const dialects = parseDialects(flags.dialect);
  const { versionsDir, versionTable } = settingsFrom({ ...flags, db: undefined });
  if (flags.drift === true) {
    const { checkDriftCommand } = await import('./check-drift-command.js');
    return checkDriftCommand({
      folder: versionsDir,
      databases: flags.db ?? [],
      versionTable,
      format,
    });
  }
  const result = await checkRevisions({
    folder: versionsDir,
    dialects,
    from: flags.from,
    databases: flags.db,
    roundTrip: flags.roundTrip,
  });
  if (format === 'json') printResult(JSON.stringify(toJson(result)));
  else printResult(await formatText(result));
  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = result.findings.length - errors;
  if (errors > 0 || (flags.strict === true && warnings > 0)) {
    throw new DataRegistryError(
      'CHECK_FAILED',
      `check found ${count(errors, 'error')} and ${count(warnings, 'warning')} in ${count(result.revisions, 'revision')}${errors === 0 ? ' (--strict fails on warnings)' : ''}.`,
      { errors, warnings },
    );
  }
}

function parseFormat(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text' || value === 'json') return value ?? 'text';
  throw new DataRegistryError('INVALID_ARGUMENT', `--format ${value}: use text or json.`);
}

function parseDialects(value: string | undefined): DialectName[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(dialectNames as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `--dialect ${value}: name one or more of ${dialectNames.join(', ')}, separated by commas.`,
    );
  }
  return names as DialectName[];
}

/** The JSON shape: findings with file paths relative to the working folder. */
function toJson(result: CheckRevisionsResult) {
  const roundTrip: Record<string, unknown> = {};
  for (const outcome of result.roundTrips) {
    const key = outcome.status === 'not run' ? outcome.dialect : productOf(outcome);
    roundTrip[key in roundTrip ? `${key} ${outcome.database}` : key] = roundTripJson(outcome);
  }
  return {
    findings: result.findings.map((finding) => ({ ...finding, file: relative(finding.file) })),
    revisions: result.revisions,
    round_trip: roundTrip,
    server_versions: result.serverVersions,
    server_versions_assumed: assumedProducts(result),
  };
}

/** The servers whose version the rules assumed rather than read from a database. */
function assumedProducts(
  result: CheckRevisionsResult,
): (keyof CheckRevisionsResult['serverVersions'])[] {
  const products = ['postgresql', 'mysql', 'mariadb', 'sqlite'] as const;
  return products.filter((p) => !result.serverVersionsRead.includes(p));
}

function productOf(outcome: RoundTripOutcome & { serverVersion: string }): string {
  return outcome.dialect === 'mysql' && outcome.serverVersion.includes('MariaDB')
    ? 'mariadb'
    : outcome.dialect;
}

function roundTripJson(outcome: RoundTripOutcome) {
  if (outcome.status === 'not run') {
    return { status: outcome.status, database: outcome.database, reason: outcome.reason };
  }
  const { problem } = outcome;
  return {
    status: outcome.status,
    database: outcome.database,
    server_version: outcome.serverVersion,
    checked: outcome.checked,
    skipped: outcome.skipped,
    problem:
      problem === undefined
        ? null
        : { ...problem, file: problem.file === undefined ? null : relative(problem.file) },
  };
}

/** One line per database: passed (how many revisions), failed (see its finding), or not run. */
function formatRoundTrip(outcome: RoundTripOutcome): string[] {
  const where = `Round trip on ${outcome.database}`;
  if (outcome.status === 'not run') return [`${where}: not run: ${outcome.reason}.`];
  const skipped = outcome.skipped.map((s) => `  skipped ${s.revision}: ${s.reason}`);
  const state =
    outcome.status === 'passed'
      ? `passed (${count(outcome.checked, 'revision')} downgraded and compared)`
      : 'failed (see its finding above)';
  return [`${where} (${outcome.serverVersion}): ${state}.`, ...skipped];
}

/** One block per finding: `file:line`, severity, rule and dialect; the message; why; the fix. */
async function formatText(result: CheckRevisionsResult): Promise<string> {
  const reasons = await lintRuleReasons();
  const blocks = result.findings.map((finding) =>
    formatFinding(finding, reasons.get(finding.rule)),
  );
  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  const summary =
    result.findings.length === 0
      ? `No finding in ${count(result.revisions, 'revision')}.`
      : `${count(errors, 'error')}, ${count(result.findings.length - errors, 'warning')} in ${count(result.revisions, 'revision')}.`;
  const roundTrips = result.roundTrips.flatMap(formatRoundTrip);
  const assumed = assumedProducts(result);
  if (assumed.length > 0) {
    const versions = assumed.map((p) => `${p} ${result.serverVersions[p]}`).join(', ');
    roundTrips.push(
      `Version-dependent rules assumed ${versions} (give --db to read a server's own version).`,
    );
  }
  return [...blocks, ...(roundTrips.length > 0 ? [roundTrips.join('\n')] : []), summary].join(
    '\n\n',
  );
}

function formatFinding(finding: Finding, why: string | undefined): string {
  const where = `${relative(finding.file)}:${finding.line}`;
  const dialect = finding.dialect === undefined ? '' : ` (${finding.dialect})`;
  const lines = [
    `${where}  ${finding.severity}  ${finding.rule}${dialect}`,
    `  ${finding.message}`,
  ];
  if (finding.statement !== '') lines.push(`  Statement: ${oneLine(finding.statement)}`);
  if (why !== undefined) lines.push(`  Why: ${why}`);
  if (finding.fix !== '') lines.push(`  Fix: ${finding.fix}`);
  return lines.join('\n');
}

function oneLine(statement: string): string {
  const flat = statement.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

function relative(file: string): string {
  const shown = path.relative(process.cwd(), file);
  return shown.startsWith('..') ? file : shown;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

// `check`: lints the versions folder (the revision graph and each dialect's rules) and prints one
// block per finding, or one JSON object; exits 1 on an error (on a warning too with --strict).

import path from 'node:path';
import { dialectNames, type DialectName } from '../../db/dialect-name.js';
import {
  DataRegistryError,
  lintRevisions,
  lintRuleReasons,
  type Finding,
  type LintRevisionsResult,
} from '../../migrate/index.js';
import { settingsFrom, type MigrationFlags } from '../migration-context.js';
import { printResult } from '../output.js';

interface CheckFlags extends MigrationFlags {
  readonly dialect?: string;
  readonly from?: string;
  readonly format?: string;
  readonly strict?: boolean;
}

export async function checkCommand(flags: CheckFlags): Promise<void> {
  const format = parseFormat(flags.format);
  const dialects = parseDialects(flags.dialect);
  const { versionsDir } = settingsFrom(flags);
  const result = await lintRevisions({ folder: versionsDir, dialects, from: flags.from });
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
function toJson(result: LintRevisionsResult) {
  return {
    findings: result.findings.map((finding) => ({ ...finding, file: relative(finding.file) })),
    revisions: result.revisions,
    server_versions: result.serverVersions,
  };
}

/** One block per finding: `file:line`, severity, rule and dialect; the message; why; the fix. */
async function formatText(result: LintRevisionsResult): Promise<string> {
  const reasons = await lintRuleReasons();
  const blocks = result.findings.map((finding) =>
    formatFinding(finding, reasons.get(finding.rule)),
  );
  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  const summary =
    result.findings.length === 0
      ? `No finding in ${count(result.revisions, 'revision')}.`
      : `${count(errors, 'error')}, ${count(result.findings.length - errors, 'warning')} in ${count(result.revisions, 'revision')}.`;
  return [...blocks, summary].join('\n\n');
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

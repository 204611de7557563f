// A failed round trip as a finding, so that text and JSON output report it as they report the
// lint: the revision's file and section line, the statement, the database's message, the fix.

import { readFileSync } from 'node:fs';
import type { Finding } from '../finding.js';
import type { RoundTripProblemKind, RoundTripReport } from './round-trip-report.js';

const fixes: Record<RoundTripProblemKind, string> = {
  'upgrade-failed':
    'Correct the statement for this database, or give the database its own section (`-- migrate:upgrade <dialect>`).',
  'downgrade-failed':
    'Correct the downgrade for this database (its syntax may differ: MariaDB drops a CHECK with DROP CONSTRAINT, MySQL with DROP CHECK), or give it its own section (`-- migrate:downgrade <dialect>`).',
  'downgrade-not-restoring':
    'Make the downgrade undo exactly what the upgrade does: each object it creates dropped, each it changes put back as it was (type, nullability, default, name).',
  'base-not-empty':
    'A downgrade leaves an object behind that an upgrade created outside its own revision, or one revision drops what another created; make each revision undo its own objects.',
  'head-differs':
    'An upgrade depends on what was in the database before it (data, or an object a downgrade left); make each revision build the same schema from the same start.',
};

/** The finding of a round trip that stopped on a problem. */
export function roundTripFinding(
  report: RoundTripReport & { status: 'failed' | 'passed' },
): Finding {
  const problem = report.problem!;
  const details =
    problem.difference.length === 0 ? '' : ` Difference: ${problem.difference.join('; ')}.`;
  return {
    rule: 'round-trip',
    severity: 'error',
    revision: problem.revision,
    file: problem.file ?? '',
    line: problem.file === undefined ? 1 : sectionLine(problem.file, problem.kind),
    dialect: report.dialect,
    statement: problem.statement ?? '',
    message: `On ${report.database} (${report.serverVersion}): ${problem.message}${details}`,
    fix: fixes[problem.kind],
  };
}

/** The line of the first `-- migrate:upgrade` or `-- migrate:downgrade` of the file. */
function sectionLine(file: string, kind: RoundTripProblemKind): number {
  const wanted = kind === 'upgrade-failed' ? 'upgrade' : 'downgrade';
  try {
    const lines = readFileSync(file, 'utf8').split(/\r\n|\r|\n/);
    const index = lines.findIndex((line) => line.trim().startsWith(`-- migrate:${wanted}`));
    return index + 1 || 1;
  } catch {
    return 1;
  }
}

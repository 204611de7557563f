// One Alembic revision file read statically: its identifiers (revision, down_revision,
// branch_labels, depends_on), its docstring's message and Create Date, and what its upgrade() and
// downgrade() do. Never runs Python.

import { interpretRevisionFunction, type FunctionReading } from './interpret-function.js';
import { readPythonModule } from './read-python-module.js';
import { PythonSource } from './python-syntax.js';
import { NotConvertible, describeValue, type PythonValue } from './python-value.js';

export interface AlembicRevision {
  readonly path: string;
  readonly source: string;
  readonly id: string;
  readonly parents: readonly string[];
  readonly branchLabels: readonly string[];
  readonly dependsOn: readonly string[];
  /** The docstring's first line. */
  readonly message: string;
  /** `YYYY-MM-DD HH:MM:SS` from the docstring's `Create Date:`, fractions dropped. */
  readonly createDate: string | undefined;
  readonly upgrade: FunctionReading;
  readonly downgrade: FunctionReading;
  /** The first reason the file as a whole cannot be converted (project imports run at load…). */
  readonly moduleProblem: NotConvertible | undefined;
}

/** Why a file could not even be read as a revision: no revision id, not valid Python. */
export class UnreadableRevision extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${path}:${line}: ${reason}`);
  }
}

export function readAlembicRevision(path: string, text: string): AlembicRevision {
  const source = new PythonSource(text);
  const syntaxErrorLine = source.firstSyntaxError();
  if (syntaxErrorLine !== undefined) {
    throw new UnreadableRevision(
      path,
      syntaxErrorLine,
      'not valid Python here (the file was not imported)',
    );
  }
  const module = readPythonModule(source, {
    callFunction: (name, call) => {
      throw new NotConvertible(`\`${name}()\` called at module level`, call.line);
    },
  });
  const identifiers = (name: string, isRequired: boolean): string[] => {
    const binding = module.scope.lookup(name);
    if (binding === undefined) {
      if (isRequired) throw new UnreadableRevision(path, 1, `no \`${name} = …\` assignment`);
      return [];
    }
    if ('unknown' in binding) {
      throw new UnreadableRevision(
        path,
        binding.unknown.line,
        `\`${name}\` is not a literal: ${binding.unknown.reason}`,
      );
    }
    return identifierList(binding, name, path);
  };
  const [id, ...extra] = identifiers('revision', true);
  if (id === undefined || extra.length > 0)
    throw new UnreadableRevision(path, 1, '`revision` must be one string');
  const docstring = module.docstring ?? '';
  const upgrade = interpretRevisionFunction(source, module, 'upgrade');
  const downgrade = interpretRevisionFunction(source, module, 'downgrade');
  return {
    path,
    source: text,
    id,
    parents: identifiers('down_revision', false),
    branchLabels: identifiers('branch_labels', false),
    dependsOn: identifiers('depends_on', false),
    message: messageOf(docstring),
    createDate: readCreateDate(docstring),
    upgrade,
    downgrade,
    moduleProblem: module.sideEffects[0],
  };
}

function identifierList(value: PythonValue, name: string, path: string): string[] {
  if (value.kind === 'none') return [];
  if (value.kind === 'str') return value.value === '' ? [] : [value.value];
  if (value.kind === 'list') {
    return value.items.map((item) => {
      if (item.kind !== 'str')
        throw new UnreadableRevision(path, 1, `\`${name}\` holds ${describeValue(item)}`);
      return item.value;
    });
  }
  throw new UnreadableRevision(
    path,
    1,
    `\`${name}\` is ${describeValue(value)}; expected None, a string or a tuple of strings`,
  );
}

/**
 * The docstring's first line; empty when that line is already one of the fields (a docstring
 * that starts with `Revision ID:`), which a message must not read as.
 */
function messageOf(docstring: string): string {
  const first = (docstring.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  return /^(revision id|revises|create date)\s*:/i.test(first) ? '' : first;
}

const createDateLine =
  /^\s*Create Date:\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/m;

function readCreateDate(docstring: string): string | undefined {
  const match = createDateLine.exec(docstring);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second = '00'] = match;
  return `${year}-${month}-${day} ${hour}:${minute}:${second}`;
}

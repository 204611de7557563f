// The head of a JavaScript revision file: the comment block a person reads (message, Revision ID,
// Revises, Create Date, notes) and the exports the engine reads (revision, revises, message).
// `revision -m … --js` and import-alembic's not-converted revisions both start this way.

import { toOneLine } from './revision-file-format.js';

export interface JsRevisionHeadFields {
  readonly id: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly createDate: string | undefined;
  /** `// Key: value` lines after the Create Date. */
  readonly notes?: readonly (readonly [string, string])[];
}

export interface JsRevisionHead {
  readonly comment: readonly string[];
  readonly exports: readonly string[];
}

export function renderJsRevisionHead(fields: JsRevisionHeadFields): JsRevisionHead {
  const message = toOneLine(fields.message);
  const revises =
    fields.parents.length === 0
      ? 'null'
      : JSON.stringify(fields.parents.length === 1 ? fields.parents[0] : fields.parents);
  return {
    comment: [
      `// ${message}`.trimEnd(),
      '//',
      `// Revision ID: ${fields.id}`,
      `// Revises: ${fields.parents.join(', ')}`.trimEnd(),
      ...(fields.createDate === undefined ? [] : [`// Create Date: ${fields.createDate}`]),
      ...(fields.notes ?? []).map(([key, value]) => `// ${key}: ${toOneLine(value)}`.trimEnd()),
    ],
    exports: [
      `export const revision = ${JSON.stringify(fields.id)};`,
      `export const revises = ${revises};`,
      `export const message = ${JSON.stringify(message)};`,
    ],
  };
}

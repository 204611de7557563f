// One readable sentence from a schema validation failure, naming the field at fault.

import { idPattern } from '../schemas/common-schemas.js';

/** The fields of a validation error item that the message needs (TypeBox and Ajv share them). */
export interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string | undefined;
}

const partNames: Record<string, string> = {
  body: 'body field',
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
};

/**
 * E.g. "Invalid body field `name`: must be string.", "Unknown body field `nmae`; the accepted
 * fields are listed in /openapi.json.", "Missing body field `name`.".
 */
export function describeValidationError(
  issues: readonly ValidationIssue[],
  context: string | undefined,
): string {
  const first = issues[0];
  const part = partNames[context ?? ''] ?? 'field';
  if (first === undefined) return `Invalid request ${part}.`;
  const extra = listParam(first.params.additionalProperties);
  if (
    first.keyword === 'additionalProperties' ||
    (first.keyword === 'boolean' && extra === undefined)
  ) {
    const name = extra ?? fieldName(first.instancePath);
    return `Unknown ${part} \`${name}\`; the accepted fields are listed in /openapi.json.`;
  }
  if (first.keyword === 'required') {
    const missing =
      listParam(first.params.requiredProperties) ?? listParam(first.params.missingProperty);
    const path = fieldName(first.instancePath);
    const name = path === '' ? missing : `${path}.${missing}`;
    return `Missing ${part} \`${name ?? '?'}\`.`;
  }
  const name = fieldName(first.instancePath);
  const sameField = issues.filter((issue) => issue.instancePath === first.instancePath);
  const specific = sameField.find((issue) => issue.keyword !== 'type' && issue.keyword !== 'anyOf');
  const types = sameField.flatMap((issue) =>
    issue.keyword === 'type' && typeof issue.params.type === 'string' ? [issue.params.type] : [],
  );
  const problem =
    (specific?.keyword === 'pattern' && specific.params.pattern === idPattern
      ? 'must be a positive integer id, such as 42'
      : specific?.message) ??
    (types.length > 0 ? `must be ${types.join(' or ')}` : (first.message ?? 'is not valid'));
  if (name === '') {
    return `Invalid request ${context === 'body' ? 'body' : part}: ${problem}.`;
  }
  return `Invalid ${part} \`${name}\`: ${problem}.`;
}

/** `/metadata/0/a` → `metadata[0].a`. */
function fieldName(instancePath: string): string {
  return instancePath
    .split('/')
    .filter((part) => part !== '')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce(
      (path, part) =>
        /^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`,
      '',
    );
}

function listParam(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

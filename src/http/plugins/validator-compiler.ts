// Fastify's validator compiler: TypeBox's (TypeBoxValidatorCompiler), with a shortcut for path
// parameters and query strings, which it converts (`?limit=10` → 10) with Value.Convert on every
// request, at a cost above the check itself: a value that already checks is taken as it is.

import type { FastifySchemaCompiler } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * Validates (and converts) like TypeBoxValidatorCompiler. For parts other than the body, a value
 * that passes the check is returned without Convert, which would return it unchanged anyway: it
 * converts only what does not check (a union keeps a member that checks). Bodies are checked as
 * they are, as TypeBox does.
 */
export const compileValidator: FastifySchemaCompiler<TSchema> = (routeSchema) => {
  const convertAndCheck = TypeBoxValidatorCompiler(routeSchema);
  if (routeSchema.httpPart === 'body') return convertAndCheck;
  const check = Compile(routeSchema.schema);
  return (value) => (check.Check(value) ? { value } : convertAndCheck(value));
};

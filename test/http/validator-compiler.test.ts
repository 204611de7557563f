// The validator compiler answers as TypeBox's own does, shortcut or not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { compileValidator } from '../../src/http/plugins/validator-compiler.js';
import { IdParams } from '../../src/http/schemas/common-schemas.js';
import { RecordListQuery } from '../../src/http/schemas/record-schemas.js';

function both(schema: TSchema, httpPart: string) {
  const definition = {
    schema,
    httpPart,
    method: 'GET',
    url: '/x',
  } as FastifyRouteSchemaDef<TSchema>;
  const ours = compileValidator(definition);
  const typebox = TypeBoxValidatorCompiler(definition);
  return (value: unknown) => {
    const expected = typebox(value) as { value?: unknown; error?: unknown };
    const actual = ours(value) as { value?: unknown; error?: unknown };
    assert.deepEqual(actual, expected, JSON.stringify(value));
    return actual;
  };
}

test('validates and converts path parameters and query strings as TypeBox does', () => {
  const params = both(IdParams, 'params');
  assert.deepEqual(params({ id: '42' }).value, { id: '42' });
  assert.ok(params({ id: '042' }).error);
  assert.ok(params({}).error);

  const query = both(RecordListQuery, 'querystring');
  assert.deepEqual(query({ limit: '100', include_deleted: 'true' }).value, {
    limit: 100,
    include_deleted: true,
  });
  assert.deepEqual(query({ cursor: 'abc', q: 'x' }).value, { cursor: 'abc', q: 'x' });
  assert.deepEqual(query({}).value, {});
  assert.ok(query({ limit: 'many' }).error);
  assert.ok(query({ limit: '0' }).error);
});

test('keeps a member of a union that checks, converting only what does not', () => {
  const check = both(
    Type.Object({ n: Type.Union([Type.Integer(), Type.String()]) }),
    'querystring',
  );
  assert.deepEqual(check({ n: '5' }).value, { n: '5' });
  assert.deepEqual(check({ n: 5 }).value, { n: 5 });
  const numbers = both(Type.Object({ n: Type.Union([Type.Integer(), Type.Boolean()]) }), 'params');
  assert.deepEqual(numbers({ n: '5' }).value, { n: 5 });
});

test('leaves bodies to TypeBox: checked, never converted', () => {
  const body = both(Type.Object({ n: Type.Integer() }), 'body');
  assert.deepEqual(body({ n: 5 }).value, { n: 5 });
  assert.ok(body({ n: '5' }).error);
});

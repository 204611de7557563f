// The serializer of answers that carry JSON text (records and datasets, whose metadata is a
// JsonText, registry/shared/json-text.ts): each response schema is paired once with the writer
// of its answers, and their routes set `serializerCompiler: jsonTextSerializerCompiler`. Fastify's
// schema-driven serializer cannot splice text in, and would walk the metadata key by key
// (docs/benchmarks.md, "Notes behind the code: HTTP and storage").

import type { FastifySerializerCompiler } from 'fastify';
import type { Static, TSchema } from 'typebox';

type Writer = (value: never) => string;

const writers = new WeakMap<TSchema, Writer>();

/**
 * Returns `schema`, paired with the writer of its answers. `write` must make of a value what
 * Fastify's serializer would make of it from the schema, byte for byte — the schema's properties
 * in its order, strings and nulls through JSON.stringify — with JSON text spliced in as it is
 * (test/http/json-text-serializer.test.ts compares them).
 */
export function writtenBy<S extends TSchema>(schema: S, write: (value: Static<S>) => string): S {
  writers.set(schema, write);
  return schema;
}

/** The writer {@link writtenBy} paired with `schema`. */
export function writerOf<S extends TSchema>(schema: S): (value: Static<S>) => string {
  const write = writers.get(schema);
  if (write === undefined) throw new Error('This schema has no writer: declare it with writtenBy');
  return write as (value: Static<S>) => string;
}

/**
 * The `serializerCompiler` of routes whose 2xx schemas come from {@link writtenBy}. Every other
 * status is an error body, `{"error": {"code", "message"}}`, which the error handler builds in
 * the order of its schema, so that JSON.stringify writes it as the schema's serializer would.
 */
export const jsonTextSerializerCompiler: FastifySerializerCompiler<TSchema> = (route) => {
  const write = writers.get(route.schema);
  if (write !== undefined) return write as (value: unknown) => string;
  const isSuccess = route.httpStatus === undefined || route.httpStatus.startsWith('2');
  if (isSuccess) {
    throw new Error(`${route.method} ${route.url}: its ${route.httpStatus} answer has no writer`);
  }
  return JSON.stringify;
};

/** A string or null as JSON, for writers. */
export const quote: (value: string | null) => string = JSON.stringify;

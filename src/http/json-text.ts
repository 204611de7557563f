// Answers whose JSON text a route writes itself: Fastify sends a string with a JSON content type
// as it is, without the response schema's serializer (the schema still documents the answer).

import type { FastifyReply } from 'fastify';

/**
 * Sends `text` (JSON the caller serialised to match the route's response schema for
 * `statusCode`) with `Content-Type: application/json; charset=utf-8`, as Fastify's serializer
 * would.
 */
export function sendJsonText(reply: FastifyReply, statusCode: number, text: string): FastifyReply {
  return reply.code(statusCode).type('application/json; charset=utf-8').send(text);
}

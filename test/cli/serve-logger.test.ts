import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createPrettyDestination } from '../../src/cli/pretty-log.js';
import { chooseLogFormat } from '../../src/cli/serve-logger.js';

test('the log format is the setting when given, else pretty on a terminal and JSON elsewhere', () => {
  assert.equal(chooseLogFormat(undefined, true), 'pretty');
  assert.equal(chooseLogFormat(undefined, false), 'json');
  assert.equal(chooseLogFormat('json', true), 'json');
  assert.equal(chooseLogFormat('pretty', false), 'pretty');
});

/** A pino logger writing pretty lines into `lines`, as `serve` does with `--log-format pretty`. */
function prettyLogger(lines: string[]) {
  const output = { write: (text: string) => lines.push(text) };
  return pino({ base: { pid: 42 } }, createPrettyDestination(output, { colorize: false }));
}

const time = String.raw`\[\d{2}:\d{2}:\d{2}\.\d{3}\]`;

test('a pretty line is the local time, the level and the message, without pino’s other fields', () => {
  const lines: string[] = [];
  const logger = prettyLogger(lines);
  logger.info({ revision: 'ae10', durationMs: 3 }, 'Running upgrade  -> ae10, create records');
  logger.warn('No API key is configured');
  assert.equal(lines.length, 2);
  assert.match(
    lines[0]!,
    new RegExp(`^${time} INFO: Running upgrade {2}-> ae10, create records\\n$`),
  );
  assert.match(lines[1]!, new RegExp(`^${time} WARN: No API key is configured\\n$`));
});

test('a request is one pretty line with its method, path, status and duration', () => {
  const lines: string[] = [];
  const logger = prettyLogger(lines);
  const request = logger.child({ reqId: 'r-1' });
  const other = logger.child({ reqId: 'r-2' });
  // Fastify's two lines per request, as `serve` logs them in JSON (test/e2e/serve-logs.test.ts).
  request.info(
    { req: { method: 'GET', url: '/api/records?limit=2', host: 'h' } },
    'incoming request',
  );
  other.info({ req: { method: 'POST', url: '/api/records', host: 'h' } }, 'incoming request');
  other.info({ res: { statusCode: 201 }, responseTime: 12.345 }, 'request completed');
  request.info({ res: { statusCode: 200 }, responseTime: 4.04 }, 'request completed');
  assert.equal(lines.length, 2, lines.join(''));
  assert.match(lines[0]!, new RegExp(`^${time} INFO: POST /api/records 201 12 ms\\n$`));
  assert.match(lines[1]!, new RegExp(`^${time} INFO: GET /api/records\\?limit=2 200 4\\.0 ms\\n$`));
});

test('a failed request shows its error’s stack under its line', () => {
  const lines: string[] = [];
  const logger = prettyLogger(lines).child({ reqId: 'r-3' });
  logger.info({ req: { method: 'DELETE', url: '/api/records/7' } }, 'incoming request');
  const error = new Error('disk on fire');
  logger.error({ res: { statusCode: 500 }, err: error, responseTime: 1500 }, 'request errored');
  assert.equal(lines.length, 1);
  const [first, ...rest] = lines[0]!.split('\n');
  assert.match(first!, new RegExp(`^${time} ERROR: DELETE /api/records/7 500 1\\.50 s$`));
  assert.match(rest.join('\n'), /disk on fire/);
  assert.match(rest.join('\n'), /at /, 'the stack');
});

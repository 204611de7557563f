// Readable log lines for a person at a terminal: `[12:00:01.234] INFO: GET /api/records 200 4.9 ms`.
// Takes pino's JSON lines and draws them with pino-pretty's formatter, called in this thread for
// each line (no worker transport). Imported only when pretty output is chosen (serve-logger.ts).

import { prettyFactory } from 'pino-pretty';

/** Where the lines go: process.stdout, or a test's collector. */
export interface TextOutput {
  write(text: string): unknown;
}

/** pino's destination: it is handed each log line as JSON text. */
export interface LogDestination {
  write(line: string): void;
}

/** A line as pino wrote it, with Fastify's request fields where it has them. */
interface LogLine {
  readonly level?: number;
  readonly time?: number;
  readonly msg?: string;
  readonly reqId?: string;
  readonly req?: { readonly method?: string; readonly url?: string };
  readonly res?: { readonly statusCode?: number };
  readonly responseTime?: number;
  readonly err?: unknown;
}

/** Requests seen but not completed; bounded, as a request Fastify never completes leaves one. */
const mostOpenRequests = 1000;

/**
 * A pino destination that writes each line readably: time, level, message and any error's
 * stack, without pino's other fields (pid, reqId…: `--log-format json` has them all). Fastify's
 * `incoming request` line is held back and its method and path are put on the line that completes
 * the request, with the status and duration: one line per request.
 */
export function createPrettyDestination(
  output: TextOutput,
  options: { readonly colorize: boolean },
): LogDestination {
  const render = prettyFactory({ colorize: options.colorize, translateTime: 'SYS:HH:MM:ss.l' });
  const openRequests = new Map<string, string>();
  return {
    write(line) {
      const shown = describeLine(JSON.parse(line) as LogLine, openRequests);
      if (shown !== undefined) output.write(render(shown));
    },
  };
}

/** What a line shows, or undefined for one that is held back. */
function describeLine(line: LogLine, openRequests: Map<string, string>): object | undefined {
  const { level, time, err } = line;
  if (line.reqId !== undefined && line.req?.method !== undefined && line.res === undefined) {
    if (openRequests.size >= mostOpenRequests) openRequests.clear();
    openRequests.set(line.reqId, `${line.req.method} ${line.req.url ?? ''}`);
    return undefined;
  }
  let msg = line.msg;
  if (line.reqId !== undefined && line.responseTime !== undefined) {
    const request = openRequests.get(line.reqId) ?? 'request';
    openRequests.delete(line.reqId);
    const status = line.res?.statusCode ?? '-';
    msg = `${request} ${status} ${formatMilliseconds(line.responseTime)}`;
  }
  return err === undefined ? { level, time, msg } : { level, time, msg, err };
}

function formatMilliseconds(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

// The logger of `serve`: pino's JSON lines for log shippers, or readable lines for a person at a
// terminal (pretty-log.ts, loaded only then). The JSON is pino's as it always was.

import { pino, type Logger } from 'pino';
import type { Config, LogFormat } from '../config/config.js';

/**
 * The format the setting names, else pretty when standard output is a terminal and JSON when
 * it is a file, a pipe or a log collector.
 */
export function chooseLogFormat(setting: LogFormat | undefined, isTerminal: boolean): LogFormat {
  return setting ?? (isTerminal ? 'pretty' : 'json');
}

/** A logger on standard output at the configured level, in the chosen format. */
export async function createServeLogger(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
): Promise<Logger> {
  const options = { level: config.logLevel, base: { pid: process.pid } };
  const isTerminal = process.stdout.isTTY === true;
  if (chooseLogFormat(config.logFormat, isTerminal) === 'json') return pino(options);
  const { createPrettyDestination } = await import('./pretty-log.js');
  // pino's own file-descriptor stream, writing each line at once (sync): a person reads along,
  // and no line is lost when a second signal exits the process right after logging.
  const output = pino.destination({ dest: 1, sync: true });
  return pino(options, createPrettyDestination(output, { colorize: isTerminal }));
}

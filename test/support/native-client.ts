// Feeds an SQL script to the database's own command-line client (psql, mysql, sqlite3), as an
// operator would with the output of `--sql`.

import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { runProcess, type CliResult } from './run-cli.js';

export function runNativeClient(url: string, script: string): Promise<CliResult> {
  const parsed = parseDatabaseUrl(url);
  switch (parsed.dialect) {
    case 'postgresql':
      return runProcess('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', toLibpqUrl(url)], {
        input: script,
      });
    case 'mysql':
      return runProcess(
        'mysql',
        [
          '--protocol=TCP',
          `--host=${parsed.host}`,
          `--port=${parsed.port}`,
          `--user=${parsed.user}`,
          ...(parsed.password ? [`--password=${parsed.password}`] : []),
          parsed.database,
        ],
        { input: script },
      );
    case 'sqlite':
      return runProcess('sqlite3', ['-bail', parsed.path], { input: script });
    default:
      return parsed satisfies never;
  }
}

function toLibpqUrl(url: string): string {
  return url.replace(/^postgres(ql)?(\+\w+)?:/, 'postgresql:');
}

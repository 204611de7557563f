// node-sql-parser, one grammar at a time. Each grammar is loaded from its own build (about
// 250 KB) rather than the package's index (2.5 MB, every grammar it knows): loading and compiling
// that index took a tenth of a 1000-revision lint (docs/benchmarks.md, "Check").

import { createRequire } from 'node:module';
import type { Parser } from 'node-sql-parser';

export type Grammar = 'mysql' | 'mariadb' | 'sqlite' | 'postgresql';

const require = createRequire(import.meta.url);
const parsers = new Map<Grammar, Parser>();

/** The parser of one grammar, loaded on first use (MariaDB's only when it is needed). */
export function grammarParser(grammar: Grammar): Parser {
  let parser = parsers.get(grammar);
  if (parser === undefined) {
    const build = require(`node-sql-parser/build/${grammar}`) as { Parser: new () => Parser };
    parser = new build.Parser();
    parsers.set(grammar, parser);
  }
  return parser;
}

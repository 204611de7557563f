// Splits the SQL of one revision section into statements, one per round trip to the database.
// Lexical only: it knows quotes, comments, routine bodies and DELIMITER lines, never SQL grammar.

import type { DialectName } from '../../db/dialect-name.js';

/** The lexical rules of one dialect that decide where a `;` is not a statement end. */
interface Lexicon {
  /** A backslash escapes the next character inside '…' and "…" (MySQL's default sql_mode). */
  readonly isBackslashEscaping: boolean;
  /** `E'…'` strings, in which a backslash escapes the next character (PostgreSQL). */
  readonly hasEscapeStrings: boolean;
  readonly hasBacktickIdentifiers: boolean;
  /** `[name]` identifiers (SQLite, for compatibility with SQL Server). */
  readonly hasBracketIdentifiers: boolean;
  readonly hasHashComments: boolean;
  /** `--` starts a comment only when followed by whitespace or a control character (MySQL). */
  readonly isDashCommentSpaced: boolean;
  readonly hasNestedBlockComments: boolean;
  /** `/*!…` and `/*+…` block comments are code: versioned statements and optimizer hints (MySQL). */
  readonly hasExecutableComments: boolean;
  /** `$$ … $$` and `$tag$ … $tag$` bodies (PostgreSQL). */
  readonly hasDollarQuotes: boolean;
  readonly isWordStart: (code: number) => boolean;
}

const isLetter = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const DOLLAR = 36;
const AT = 64;

const lexicons: Record<DialectName, Lexicon> = {
  postgresql: {
    isBackslashEscaping: false,
    hasEscapeStrings: true,
    hasBacktickIdentifiers: false,
    hasBracketIdentifiers: false,
    hasHashComments: false,
    isDashCommentSpaced: false,
    hasNestedBlockComments: true,
    hasExecutableComments: false,
    hasDollarQuotes: true,
    isWordStart: isLetter,
  },
  mysql: {
    isBackslashEscaping: true,
    hasEscapeStrings: false,
    hasBacktickIdentifiers: true,
    hasBracketIdentifiers: false,
    hasHashComments: true,
    isDashCommentSpaced: true,
    hasNestedBlockComments: false,
    hasExecutableComments: true,
    hasDollarQuotes: false,
    // `@` makes `root@localhost` in `DEFINER = root@localhost` one word.
    isWordStart: (c) => isLetter(c) || isDigit(c) || c === DOLLAR || c === AT,
  },
  sqlite: {
    isBackslashEscaping: false,
    hasEscapeStrings: false,
    hasBacktickIdentifiers: true,
    hasBracketIdentifiers: true,
    hasHashComments: false,
    isDashCommentSpaced: false,
    hasNestedBlockComments: false,
    hasExecutableComments: false,
    hasDollarQuotes: false,
    isWordStart: isLetter,
  },
};

const isWordPart = (c: number): boolean => isLetter(c) || isDigit(c) || c === DOLLAR || c === AT;
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** Statements whose body may hold `;` between BEGIN and END. */
const routineKinds = new Set(['TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT']);
/** Words that may stand between CREATE and the routine kind. */
const routineModifiers = new Set([
  'OR',
  'REPLACE',
  'TEMP',
  'TEMPORARY',
  'AGGREGATE',
  'CONSTRAINT',
  'DEFINER',
]);
/** `END IF`, `END LOOP`…: these blocks are not counted, so their END must not close one. */
const uncountedBlockEnds = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT']);

const delimiterCommand = /delimiter[ \t]+(\S+)[^\n]*/iy;
const dollarTag = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;
const nextWord = /\s*([A-Za-z_]+)/y;

/**
 * Splits `sql` into statements on `;` at top level, as the dialect's own client would.
 *
 * A `;` does not end a statement inside quotes ('…' with '' escapes, MySQL backslash escapes,
 * PostgreSQL E'…'), quoted identifiers ("…", MySQL and SQLite `…`, SQLite […]), comments (`--`,
 * MySQL `#`, block comments, nested on PostgreSQL), PostgreSQL dollar-quoted bodies, or the BEGIN … END
 * body of a CREATE TRIGGER / PROCEDURE / FUNCTION / EVENT (CASE … END inside counts as nesting;
 * END IF / LOOP / WHILE / REPEAT do not). A `DELIMITER //` line at the start of a statement, as
 * pasted from the mysql client, switches the delimiter until the next DELIMITER line.
 *
 * Returned statements are trimmed, have no trailing delimiter, and keep their inner comments;
 * comments before a statement and statements made only of comments are dropped. MySQL's
 * executable comments (`/*!50003 …`) count as code.
 *
 * @example splitSqlStatements("INSERT INTO t VALUES ('a;b'); SELECT 1", 'sqlite')
 *   // → ["INSERT INTO t VALUES ('a;b')", 'SELECT 1']
 */
export function splitSqlStatements(sql: string, dialect: DialectName): string[] {
  return new StatementSplitter(sql, lexicons[dialect]).split();
}

class StatementSplitter {
  private readonly statements: string[] = [];
  private delimiter = ';';
  private position = 0;
  /** Index of the current statement's first code character; -1 while it has none. */
  private codeStart = -1;
  /** Whether the current statement creates a routine; undefined until its first words decide. */
  private isRoutine: boolean | undefined;
  private previousWord = '';
  private wordCount = 0;
  private blockDepth = 0;

  constructor(
    private readonly sql: string,
    private readonly lexicon: Lexicon,
  ) {}

  split(): string[] {
    while (this.position < this.sql.length) this.step();
    this.endStatement(this.sql.length);
    return this.statements;
  }

  private step(): void {
    const { sql } = this;
    const at = this.position;
    if (this.codeStart === -1 && this.isAtLineStart(at) && this.switchDelimiter(at)) return;
    if (sql.startsWith(this.delimiter, at) && (this.delimiter !== ';' || this.blockDepth === 0)) {
      this.endStatement(at);
      this.position = at + this.delimiter.length;
      return;
    }
    const code = sql.charCodeAt(at);
    if (isSpace(code)) {
      this.position = at + 1;
      return;
    }
    const commentEnd = this.commentEnd(at);
    if (commentEnd !== -1) {
      if (this.isExecutableComment(at)) this.markCode(at);
      this.position = commentEnd;
      return;
    }
    this.markCode(at);
    this.position = this.tokenEnd(at);
  }

  private markCode(at: number): void {
    if (this.codeStart === -1) this.codeStart = at;
  }

  private endStatement(end: number): void {
    if (this.codeStart !== -1) {
      let statement = this.sql.slice(this.codeStart, end).trimEnd();
      // `END;//` under a custom delimiter: the `;` belongs to the client's syntax, not the server's.
      // (Under `;` itself a statement cannot end in one, except inside a trailing comment.)
      while (this.delimiter !== ';' && statement.endsWith(';')) {
        statement = statement.slice(0, -1).trimEnd();
      }
      if (statement !== '') this.statements.push(statement);
    }
    this.codeStart = -1;
    this.isRoutine = undefined;
    this.previousWord = '';
    this.wordCount = 0;
    this.blockDepth = 0;
  }

  private isAtLineStart(at: number): boolean {
    for (let i = at - 1; i >= 0; i--) {
      const c = this.sql.charCodeAt(i);
      if (c === 10) return true;
      if (c !== 32 && c !== 9) return false;
    }
    return true;
  }

  private switchDelimiter(at: number): boolean {
    delimiterCommand.lastIndex = at;
    const match = delimiterCommand.exec(this.sql);
    if (match?.[1] === undefined) return false;
    this.delimiter = match[1];
    this.position = delimiterCommand.lastIndex;
    return true;
  }

  /** The index just past the comment starting at `at`, or -1 when none starts there. */
  private commentEnd(at: number): number {
    const { sql, lexicon } = this;
    const c = sql[at];
    const next = sql[at + 1];
    if (c === '-' && next === '-') {
      const after = sql.charCodeAt(at + 2);
      if (!lexicon.isDashCommentSpaced || Number.isNaN(after) || after <= 32) {
        return this.lineEnd(at);
      }
    }
    if (c === '#' && lexicon.hasHashComments) return this.lineEnd(at);
    if (c === '/' && next === '*') return this.blockCommentEnd(at);
    return -1;
  }

  private lineEnd(at: number): number {
    const end = this.sql.indexOf('\n', at);
    return end === -1 ? this.sql.length : end;
  }

  private blockCommentEnd(at: number): number {
    const { sql } = this;
    let depth = 0;
    let i = at;
    while (i < sql.length) {
      if (sql.startsWith('/*', i) && (depth === 0 || this.lexicon.hasNestedBlockComments)) {
        depth++;
        i += 2;
      } else if (sql.startsWith('*/', i)) {
        depth--;
        i += 2;
        if (depth === 0) return i;
      } else {
        i++;
      }
    }
    return sql.length;
  }

  private isExecutableComment(at: number): boolean {
    if (!this.lexicon.hasExecutableComments) return false;
    const marker = this.sql.slice(at + 2, at + 4);
    return marker.startsWith('!') || marker.startsWith('+') || marker === 'M!';
  }

  /** The index just past the code token (quoted text, word or single character) at `at`. */
  private tokenEnd(at: number): number {
    const { sql, lexicon } = this;
    const c = sql[at];
    if (c === "'") return this.quotedEnd(at, "'", lexicon.isBackslashEscaping);
    if (c === '"') return this.quotedEnd(at, '"', lexicon.isBackslashEscaping);
    if (c === '`' && lexicon.hasBacktickIdentifiers) return this.quotedEnd(at, '`', false);
    if (c === '[' && lexicon.hasBracketIdentifiers) {
      const close = sql.indexOf(']', at + 1);
      return close === -1 ? sql.length : close + 1;
    }
    if (c === '$' && lexicon.hasDollarQuotes) {
      dollarTag.lastIndex = at;
      const tag = dollarTag.exec(sql)?.[0];
      if (tag !== undefined) {
        const close = sql.indexOf(tag, at + tag.length);
        return close === -1 ? sql.length : close + tag.length;
      }
    }
    if (lexicon.isWordStart(sql.charCodeAt(at))) return this.wordEnd(at);
    return at + 1;
  }

  private quotedEnd(at: number, quote: string, isBackslashEscaping: boolean): number {
    const { sql } = this;
    let i = at + 1;
    while (i < sql.length) {
      const c = sql[i];
      if (c === '\\' && isBackslashEscaping) {
        i += 2;
      } else if (c === quote) {
        if (sql[i + 1] !== quote) return i + 1;
        i += 2;
      } else {
        i++;
      }
    }
    return sql.length;
  }

  private wordEnd(at: number): number {
    const { sql } = this;
    const isCustomDelimiter = this.delimiter !== ';';
    let end = at + 1;
    while (
      end < sql.length &&
      isWordPart(sql.charCodeAt(end)) &&
      !(isCustomDelimiter && sql.startsWith(this.delimiter, end))
    ) {
      end++;
    }
    const word = sql.slice(at, end).toUpperCase();
    if (word === 'E' && sql[end] === "'" && this.lexicon.hasEscapeStrings) {
      return this.quotedEnd(end, "'", true);
    }
    // After a `.` a word is a qualified name (`NEW.end`, `t.begin`), never a block keyword.
    if (sql[at - 1] === '.') return end;
    return this.countWord(word, end);
  }

  /** Tracks routine detection and BEGIN … END nesting; returns where scanning resumes. */
  private countWord(word: string, end: number): number {
    if (this.isRoutine === undefined) this.isRoutine = this.classifyHead(word);
    this.previousWord = word;
    this.wordCount++;
    if (this.isRoutine !== true) return end;
    if (word === 'BEGIN' || word === 'CASE') {
      this.blockDepth++;
      return end;
    }
    if (word !== 'END') return end;
    nextWord.lastIndex = end;
    const following = nextWord.exec(this.sql)?.[1]?.toUpperCase();
    if (following !== undefined && uncountedBlockEnds.has(following)) return end;
    this.blockDepth = Math.max(0, this.blockDepth - 1);
    // `END CASE` closes the CASE it names; its CASE must not open another block.
    return following === 'CASE' ? nextWord.lastIndex : end;
  }

  private classifyHead(word: string): boolean | undefined {
    if (this.wordCount === 0) return word === 'CREATE' ? undefined : false;
    if (routineKinds.has(word)) return true;
    // The definer's name (`root@localhost`, `CURRENT_USER`, or `@` between quoted parts).
    if (routineModifiers.has(word) || this.previousWord === 'DEFINER') return undefined;
    return false;
  }
}

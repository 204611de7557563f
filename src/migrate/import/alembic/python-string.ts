// Python string literals decoded as Python decodes them: prefixes (r, b, u, f), single, double and
// triple quotes, escape sequences, and the literal parts of f-strings. Pure: text in, text out.

/** A literal's prefix, quotes and body, as written. */
export interface StringToken {
  readonly isRaw: boolean;
  readonly isBytes: boolean;
  readonly isFormat: boolean;
  /** Offset of the body (after the opening quotes) in the token's text. */
  readonly bodyStart: number;
  /** Offset just past the body (before the closing quotes). */
  readonly bodyEnd: number;
}

/** Splits a literal's text (`rb'…'`, `"""…"""`) into prefix flags and body bounds. */
export function readStringToken(text: string): StringToken {
  let i = 0;
  while (i < text.length && /[rRbBuUfF]/.test(text[i] ?? '')) i++;
  const prefix = text.slice(0, i).toLowerCase();
  const quote = text.startsWith(`${text[i] ?? ''}`.repeat(3), i) ? 3 : 1;
  return {
    isRaw: prefix.includes('r'),
    isBytes: prefix.includes('b'),
    isFormat: prefix.includes('f'),
    bodyStart: i + quote,
    bodyEnd: text.length - quote,
  };
}

/**
 * The value of a literal's body (or of one literal part of an f-string, with `isFormat` set so that
 * `{{` and `}}` become `{` and `}`). Raw bodies keep their backslashes.
 *
 * @returns the decoded text, or an `unsupported` reason (`\N{…}` names, which need Unicode's name
 *   table).
 */
export function decodeStringBody(
  body: string,
  token: Pick<StringToken, 'isRaw' | 'isFormat'>,
): { readonly value: string } | { readonly unsupported: string } {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (token.isFormat && (c === '{' || c === '}') && body[i + 1] === c) {
      out += c;
      i++;
      continue;
    }
    if (c !== '\\' || token.isRaw) {
      out += c;
      // In a raw string a backslash still keeps the next character from ending the literal.
      if (c === '\\' && i + 1 < body.length) out += body[++i] ?? '';
      continue;
    }
    const next = body[i + 1] ?? '';
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (next === '\n') {
      i++;
    } else if (next === '\r') {
      i += body[i + 2] === '\n' ? 2 : 1;
    } else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? '';
      out += String.fromCharCode(parseInt(digits, 8));
      i += digits.length;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + length);
      if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hex)) {
        return { unsupported: `a truncated \\${next} escape` };
      }
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + length;
    } else if (next === 'N') {
      return { unsupported: 'a \\N{…} escape (a Unicode character name)' };
    } else {
      // Python keeps unknown escapes as written.
      out += c;
    }
  }
  return { value: out };
}

const simpleEscapes: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

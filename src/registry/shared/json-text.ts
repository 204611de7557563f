// JSON text carried through untouched: metadata is stored as the text JSON.stringify wrote, read
// back as that text, and spliced into answers as it is, never parsed and written again
// (docs/benchmarks.md, "Notes behind the code: HTTP and storage"). Pure.

declare const jsonTextBrand: unique symbol;

/**
 * Text holding one JSON value, as JSON.stringify writes it (no white space between tokens).
 * Made only by {@link toJsonText} and {@link storedJsonText}, so a plain string cannot pass for
 * one by mistake.
 */
export type JsonText = string & { readonly [jsonTextBrand]: true };

/** `value` as JSON text; the caller has checked that it is JSON (no undefined, no functions). */
export function toJsonText(value: unknown): JsonText {
  return JSON.stringify(value) as JsonText;
}

/**
 * Text read from a column this code wrote with {@link toJsonText}, taken on trust: checking it
 * would cost the parse that the type exists to save.
 */
export function storedJsonText(text: string): JsonText {
  return text as JsonText;
}

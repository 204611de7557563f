// Streams one file out of a multipart/form-data body (RFC 7578), as browsers send forms: the
// part named `file` (by default) is passed through byte for byte, other parts are skipped. Holds
// at most a part's headers and a boundary's worth of bytes in memory.

import { Transform, type TransformCallback } from 'node:stream';
import { DataRegistryError } from '../shared/errors.js';

/** The file part's name and type, known once its headers have been read. */
export interface MultipartFileInfo {
  readonly filename: string;
  /** The part's Content-Type, if it has one. */
  readonly contentType: string | undefined;
}

const maxHeaderBytes = 16 * 1024;
/** Bytes of other parts (and preamble) accepted before the file part. */
const maxBytesBeforeFile = 1024 * 1024;

type State = 'preamble' | 'after-delimiter' | 'headers' | 'file' | 'skip' | 'done';

/**
 * A Transform: multipart bytes in, the file part's bytes out. `file` resolves with the part's
 * name and type once its headers have arrived, and rejects with VALIDATION_FAILED when the body
 * is malformed or has no such part. The output ends at the file part's closing boundary; an input
 * that ends before it errors the stream (VALIDATION_FAILED), so a truncated body is never taken
 * for a whole file.
 */
export class MultipartFileStream extends Transform {
  readonly file: Promise<MultipartFileInfo>;
  readonly #delimiter: Buffer;
  readonly #field: string;
  #resolveFile!: (info: MultipartFileInfo) => void;
  #rejectFile!: (error: Error) => void;
  // The body is read as if preceded by CRLF, so that the first boundary is a delimiter too.
  #pending: Buffer = Buffer.from('\r\n');
  #state: State = 'preamble';
  #bytesBeforeFile = 0;
  #isFileDone = false;

  constructor(boundary: string, field = 'file') {
    super();
    this.#delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
    this.#field = field;
    this.file = new Promise<MultipartFileInfo>((resolve, reject) => {
      this.#resolveFile = resolve;
      this.#rejectFile = reject;
    });
    // Awaited by the route; this keeps an unawaited rejection from being reported as unhandled.
    this.file.catch(() => undefined);
  }

  /**
   * The boundary of a `multipart/form-data` Content-Type header.
   *
   * @throws DataRegistryError VALIDATION_FAILED when the header is not multipart/form-data with
   *   a boundary.
   */
  static boundaryOf(contentType: string | undefined): string {
    const type = contentType ?? '';
    const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(type);
    if (!/^\s*multipart\/form-data\s*;/i.test(type) || boundary === null) {
      throw malformed(
        'The body must be multipart/form-data with a boundary, as browsers send forms; or PUT the raw bytes to …/files/{filename}.',
      );
    }
    return boundary[1] ?? boundary[2] ?? '';
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.#state === 'done') {
      done();
      return;
    }
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    try {
      this.#consume();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (this.#isFileDone) {
      done();
      return;
    }
    const error = malformed(
      this.#state === 'file'
        ? 'The multipart body ended before the closing boundary of its `file` part.'
        : `The multipart body has no part named \`${this.#field}\` with a filename.`,
    );
    this.#rejectFile(error);
    done(error);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#rejectFile(error ?? malformed('The multipart body was not read to its end.'));
    callback(error);
  }

  #consume(): void {
    for (;;) {
      switch (this.#state) {
        case 'preamble':
        case 'skip':
        case 'file':
          if (!this.#consumeBody()) return;
          break;
        case 'after-delimiter':
          if (!this.#consumeAfterDelimiter()) return;
          break;
        case 'headers':
          if (!this.#consumeHeaders()) return;
          break;
        case 'done':
          this.#pending = Buffer.alloc(0);
          return;
        default:
          return this.#state satisfies never;
      }
    }
  }

  /** Up to the next delimiter; false when more input is needed. */
  #consumeBody(): boolean {
    const at = this.#pending.indexOf(this.#delimiter);
    // Without a delimiter, everything but a possible delimiter's start is body.
    const end = at === -1 ? Math.max(0, this.#pending.length - this.#delimiter.length + 1) : at;
    if (this.#state === 'file') {
      if (end > 0) this.push(this.#pending.subarray(0, end));
    } else {
      this.#countBeforeFile(end);
    }
    this.#pending = this.#pending.subarray(at === -1 ? end : at + this.#delimiter.length);
    if (at === -1) return false;
    if (this.#state === 'file') {
      this.#isFileDone = true;
      this.#state = 'done';
      this.push(null);
      return true;
    }
    this.#state = 'after-delimiter';
    return true;
  }

  /** `--` closes the body, CRLF opens a part. */
  #consumeAfterDelimiter(): boolean {
    if (this.#pending.length < 2) return false;
    const next = this.#pending.toString('latin1', 0, 2);
    this.#pending = this.#pending.subarray(2);
    if (next === '\r\n') {
      this.#state = 'headers';
      return true;
    }
    if (next === '--') {
      this.#state = 'done';
      return true;
    }
    throw malformed(
      'The multipart body is malformed: a boundary is followed by neither CRLF nor `--`.',
    );
  }

  #consumeHeaders(): boolean {
    const at = this.#pending.indexOf('\r\n\r\n');
    if (at === -1) {
      if (this.#pending.length > maxHeaderBytes) {
        throw malformed(`A part's headers are longer than ${maxHeaderBytes} bytes.`);
      }
      return false;
    }
    const headers = parsePartHeaders(this.#pending.toString('utf8', 0, at));
    this.#countBeforeFile(at + 4);
    this.#pending = this.#pending.subarray(at + 4);
    const disposition = parseDisposition(headers.get('content-disposition') ?? '');
    if (disposition.name === this.#field && disposition.filename !== undefined) {
      this.#state = 'file';
      this.#resolveFile({
        filename: disposition.filename,
        contentType: headers.get('content-type'),
      });
    } else {
      this.#state = 'skip';
    }
    return true;
  }

  #countBeforeFile(bytes: number): void {
    this.#bytesBeforeFile += bytes;
    if (this.#bytesBeforeFile > maxBytesBeforeFile) {
      throw malformed(
        `The multipart body holds more than ${maxBytesBeforeFile} bytes before its \`${this.#field}\` part; send the file first.`,
      );
    }
  }
}

function parsePartHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** `form-data; name="file"; filename="a.csv"` (and RFC 5987 `filename*=UTF-8''…`, preferred). */
function parseDisposition(value: string): { name?: string; filename?: string } {
  const params = new Map<string, string>();
  const pattern = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const match of value.matchAll(pattern)) {
    const key = (match[1] ?? '').toLowerCase();
    const quoted = match[2];
    params.set(
      key,
      quoted === undefined ? (match[3] ?? '').trim() : quoted.replace(/\\(.)/g, '$1'),
    );
  }
  const extended = decodeExtendedValue(params.get('filename*'));
  // Browsers escape `"`, CR and LF in quoted names as %22, %0D, %0A (the HTML standard).
  const quoted = params
    .get('filename')
    ?.replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const name = params.get('name');
  const filename = extended ?? quoted;
  return {
    ...(name === undefined ? {} : { name }),
    ...(filename === undefined ? {} : { filename }),
  };
}

function decodeExtendedValue(value: string | undefined): string | undefined {
  const match = /^UTF-8'[^']*'(.*)$/i.exec(value ?? '');
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1] ?? '');
  } catch {
    return undefined;
  }
}

function malformed(message: string): DataRegistryError {
  return new DataRegistryError('VALIDATION_FAILED', message, { field: 'body' });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { MultipartFileStream } from '../../src/http/multipart-file-stream.js';

const boundary = '----form123';

function body(parts: string[], closing = true): Buffer {
  const text = parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('');
  return Buffer.from(closing ? `${text}--${boundary}--\r\n` : text);
}

/** Feeds the body in chunks of `chunkSize` bytes; resolves with the file info and its bytes. */
async function extract(input: Buffer, chunkSize: number) {
  const chunks = Array.from({ length: Math.ceil(input.length / chunkSize) }, (_, i) =>
    input.subarray(i * chunkSize, (i + 1) * chunkSize),
  );
  const stream = new MultipartFileStream(boundary);
  Readable.from(chunks).pipe(stream);
  const [info, bytes] = await Promise.all([stream.file, buffer(stream)]);
  return { info, bytes };
}

test('passes the file part through byte for byte, whatever the chunking, skipping other fields', async () => {
  const content = `line 1\r\n--${boundary.slice(0, -1)} almost a boundary\r\n\r\n--\r\nend`;
  const input = body([
    'Content-Disposition: form-data; name="note"\r\n\r\nbefore',
    `Content-Disposition: form-data; name="file"; filename="a b.csv"\r\nContent-Type: text/csv\r\n\r\n${content}`,
    'Content-Disposition: form-data; name="after"\r\n\r\nafter',
  ]);
  for (const chunkSize of [1, 2, 3, 7, 16, 64, 1000, input.length]) {
    const { info, bytes } = await extract(input, chunkSize);
    assert.deepEqual(
      info,
      { filename: 'a b.csv', contentType: 'text/csv' },
      `chunks of ${chunkSize}`,
    );
    assert.equal(bytes.toString(), content, `chunks of ${chunkSize}`);
  }
});

test('reads filename* (RFC 5987) before filename, and browsers’ %22 escapes', async () => {
  const star = await extract(
    body([
      `Content-Disposition: form-data; name="file"; filename="fallback.txt"; filename*=UTF-8''donn%C3%A9es%20%E2%9C%93.txt\r\n\r\nx`,
    ]),
    5,
  );
  assert.equal(star.info.filename, 'données ✓.txt');
  const quoted = await extract(
    body(['Content-Disposition: form-data; name="file"; filename="say %22hi%22.txt"\r\n\r\nx']),
    5,
  );
  assert.equal(quoted.info.filename, 'say "hi".txt');
  assert.equal(quoted.info.contentType, undefined);
});

test('accepts an empty file', async () => {
  const { info, bytes } = await extract(
    body(['Content-Disposition: form-data; name="file"; filename="empty"\r\n\r\n']),
    3,
  );
  assert.equal(info.filename, 'empty');
  assert.equal(bytes.length, 0);
});

test('fails with VALIDATION_FAILED when there is no file part, or the file part is cut short', async () => {
  await assert.rejects(
    extract(body(['Content-Disposition: form-data; name="other"\r\n\r\nx']), 4),
    (error: Error & { code?: string }) =>
      error.code === 'VALIDATION_FAILED' && /`file`/.test(error.message),
  );
  const cut = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nsome bytes`,
  );
  await assert.rejects(extract(cut, 4), /closing boundary/);
  // A part named file without a filename is a plain field, not a file.
  await assert.rejects(
    extract(body(['Content-Disposition: form-data; name="file"\r\n\r\nx']), 4),
    /no part named `file`/,
  );
});

test('finds the boundary of a multipart/form-data Content-Type, and refuses anything else', () => {
  assert.equal(MultipartFileStream.boundaryOf('multipart/form-data; boundary=abc'), 'abc');
  assert.equal(
    MultipartFileStream.boundaryOf('Multipart/Form-Data; charset=utf-8; boundary="a b"'),
    'a b',
  );
  for (const type of [
    undefined,
    'application/json',
    'multipart/form-data',
    'multipart/mixed; boundary=x',
  ]) {
    assert.throws(() => MultipartFileStream.boundaryOf(type), /multipart\/form-data/, String(type));
  }
});

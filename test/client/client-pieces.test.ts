import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partsOf } from '../../src/client/direct-upload.js';
import { errorOfResponse } from '../../src/client/registry-client.js';
import {
  formatBytes,
  formatDuration,
  TransferProgress,
} from '../../src/client/transfer-progress.js';
import { isStateFor, uploadStatePathOf, type UploadState } from '../../src/client/upload-state.js';

test('splits a file into parts of the session’s part size, the last one holding the rest', () => {
  const session = { upload_id: '1', part_size: 5, part_count: 3 };
  assert.deepEqual(
    partsOf(12, session).map((part) => [part.partNumber, part.start, part.size]),
    [
      [1, 0, 5],
      [2, 5, 5],
      [3, 10, 2],
    ],
  );
  assert.deepEqual(
    partsOf(10, { ...session, part_count: 2 }).map((part) => part.size),
    [5, 5],
  );
});

test('turns the server’s error body into its code and message, on one line', () => {
  const error = errorOfResponse(
    404,
    JSON.stringify({ error: { code: 'RECORD_NOT_FOUND', message: 'No live record\nhas id 7.' } }),
    'http://x',
  );
  assert.equal(error.code, 'RECORD_NOT_FOUND');
  assert.equal(error.message, 'No live record has id 7.');
});

test('an unknown code or a body that is not the registry’s still gives one line naming the status', () => {
  const unknown = errorOfResponse(418, '{"error":{"code":"TEAPOT","message":"short"}}', 'http://x');
  assert.equal(unknown.code, 'INTERNAL_ERROR');
  const proxyPage = errorOfResponse(502, '<html>\n<b>Bad gateway</b>\n</html>', 'http://x');
  assert.equal(proxyPage.code, 'SERVER_UNREACHABLE');
  assert.match(proxyPage.message, /^The server at http:\/\/x answered HTTP 502: <html>/);
  assert.ok(!proxyPage.message.includes('\n'));
});

test('formats sizes in binary units and durations as m:ss or h:mm:ss', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(12 * 1024 * 1024), '12.0 MiB');
  assert.equal(formatBytes(3.5 * 1024 ** 3), '3.5 GiB');
  assert.equal(formatDuration(42), '0:42');
  assert.equal(formatDuration(3723), '1:02:03');
});

test('draws a bar in place on a terminal and plain lines elsewhere', () => {
  const written: string[] = [];
  const tty = { isTTY: true, columns: 120, write: (text: string) => written.push(text) > 0 };
  const bar = new TransferProgress(tty, 'upload a.bin', 2048);
  bar.advance(2048);
  bar.finish();
  // Each redraw clears the line first: carriage return, then ESC [ K.
  assert.ok(written[0]!.startsWith('\r\x1b[K'), written[0]);
  assert.match(written[0]!, /upload a\.bin \[ +\] +0% +0 B \/ 2\.0 KiB/);
  assert.match(written.at(-2)!, /\[=+\] 100% +2\.0 KiB \/ 2\.0 KiB .*ETA 0:00/);
  assert.equal(written.at(-1), '\r\x1b[K');

  const lines: string[] = [];
  const plain = new TransferProgress({ write: (text) => lines.push(text) > 0 }, 'x', 10);
  plain.advance(10);
  plain.finish();
  assert.deepEqual(
    lines.map((line) => line.endsWith('\n') && !line.includes('\r')),
    lines.map(() => true),
  );
});

test('a saved upload session is reused only for the same server, record and unchanged file', () => {
  const state: UploadState = {
    version: 1,
    server: 'http://registry',
    record_id: '7',
    filename: 'a.bin',
    size: 10,
    modified_ms: 1000,
    upload_id: 'u1',
    created_at: '2026-11-26T10:00:00.000Z',
  };
  const source = {
    path: '/data/a.bin',
    name: 'a.bin',
    size: 10,
    modifiedMs: 1000,
    contentType: 'application/octet-stream',
  };
  assert.equal(isStateFor(state, 'http://registry', '7', source), true);
  assert.equal(isStateFor(state, 'http://registry', '8', source), false);
  assert.equal(isStateFor(state, 'http://other', '7', source), false);
  assert.equal(isStateFor(state, 'http://registry', '7', { ...source, modifiedMs: 2000 }), false);
  assert.equal(isStateFor(state, 'http://registry', '7', { ...source, size: 11 }), false);
  assert.equal(uploadStatePathOf('/data/a.bin'), '/data/.a.bin.dataregistry-upload.json');
});

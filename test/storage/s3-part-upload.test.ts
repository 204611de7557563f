// How the S3 store's put sends a body (src/storage/s3-part-upload.ts): one PutObject or a
// multipart upload, through a fixed set of reused part buffers. The S3 client's requests are
// watched through a middleware; the bucket is read directly (s3rver's folder).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { uploadInParts, type PartUploadOptions } from '../../src/storage/s3-part-upload.js';
import { startS3Server, type S3Server } from '../support/s3-server.js';
import { assertRejectsWith, readAll, streamOf } from './object-store-contract.js';

const partSize = 5 * 1024 * 1024;

/** One request the client sent: its command, part number and body (for UploadPart). */
interface SentRequest {
  readonly command: string;
  readonly partNumber?: number;
  readonly body?: Uint8Array;
}

void describe('S3 put in parts (s3rver on loopback)', () => {
  let server: S3Server;
  let client: S3Client;
  let sent: SentRequest[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  /** Makes the UploadPart of that number fail, once. */
  let failingPart: number | undefined;

  before(async () => {
    server = await startS3Server();
    client = new S3Client({
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: server.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { PartNumber?: number; Body?: Uint8Array };
        const command = context.commandName ?? '?';
        sent.push({
          command,
          ...(input.PartNumber === undefined ? {} : { partNumber: input.PartNumber }),
          ...(command === 'UploadPartCommand' && input.Body ? { body: input.Body } : {}),
        });
        if (command === 'UploadPartCommand' && input.PartNumber === failingPart) {
          failingPart = undefined;
          throw new Error(`part ${input.PartNumber} failed`);
        }
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        try {
          return await next(args);
        } finally {
          inFlight -= 1;
        }
      },
      { step: 'initialize', name: 'watchRequests' },
    );
  });
  after(async () => {
    client.destroy();
    await server.stop();
  });

  const upload = (key: string, body: Readable, options: Partial<PartUploadOptions> = {}) => {
    sent = [];
    mostInFlight = 0;
    return uploadInParts(body, {
      client,
      bucket: server.bucket,
      key,
      partSize,
      queueSize: 2,
      ...options,
    });
  };
  const readBack = async (key: string) => {
    const answer = await client.send(new GetObjectCommand({ Bucket: server.bucket, Key: key }));
    return readAll(answer.Body as Readable);
  };
  const commands = () => sent.map((request) => request.command.replace(/Command$/, ''));

  test('a body of at most one part is one PutObject', async () => {
    for (const size of [0, 1000, partSize]) {
      const bytes = randomBytes(size);
      await upload(`one-${size}`, streamOf(bytes));
      assert.deepEqual(commands(), ['PutObject'], `${size} bytes`);
      assert.ok((await readBack(`one-${size}`)).equals(bytes), `${size} bytes read back`);
    }
  });

  test('a body of exactly two parts sends two full parts, and no empty third', async () => {
    const bytes = randomBytes(2 * partSize);
    await upload('two', streamOf(bytes, 100_000));
    assert.deepEqual(commands(), [
      'CreateMultipartUpload',
      'UploadPart',
      'UploadPart',
      'CompleteMultipartUpload',
    ]);
    assert.deepEqual(
      sent.filter((r) => r.body).map((r) => r.body?.length),
      [partSize, partSize],
    );
    assert.ok((await readBack('two')).equals(bytes));
  });

  test('reuses at most queueSize part buffers however many parts, and sends no more at once', async () => {
    const bytes = randomBytes(9 * partSize + 4321);
    await upload('many', streamOf(bytes, 256 * 1024), { queueSize: 3 });
    const parts = sent.filter((request) => request.command === 'UploadPartCommand');
    assert.deepEqual(
      parts.map((part) => part.partNumber).sort((a, b) => (a ?? 0) - (b ?? 0)),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    const buffers = new Set(parts.map((part) => part.body?.buffer));
    assert.ok(buffers.size <= 3, `${buffers.size} part buffers for 10 parts (at most 3)`);
    assert.ok(mostInFlight <= 3, `${mostInFlight} requests in flight at once (at most 3)`);
    assert.ok((await readBack('many')).equals(bytes));
    assert.deepEqual(await server.listUnfinishedUploads(), []);
  });

  test('a failed part aborts the multipart upload and rejects with its error', async () => {
    failingPart = 2;
    const before = await server.listObjectKeys();
    await assert.rejects(upload('failed', streamOf(randomBytes(4 * partSize))), /part 2 failed/);
    assert.ok(commands().includes('AbortMultipartUpload'), commands().join(', '));
    assert.deepEqual(await server.listUnfinishedUploads(), []);
    assert.deepEqual(await server.listObjectKeys(), before);
  });

  test('more parts than maxParts is FILE_TOO_LARGE and leaves no upload behind', async () => {
    const before = await server.listObjectKeys();
    await assertRejectsWith(
      upload('too-many', streamOf(randomBytes(2 * partSize + 1)), { maxParts: 2 }),
      'FILE_TOO_LARGE',
    );
    assert.deepEqual(await server.listUnfinishedUploads(), []);
    assert.deepEqual(await server.listObjectKeys(), before);
  });
});

// One step of the files benchmark: the API (upload then download of one file through a fresh
// `dataregistry serve`) or its limit (the same bytes to the same storage without the registry),
// for local storage or S3. Every step works in its own folder and removes it at the end.
import fs from 'node:fs';
import path from 'node:path';
import { upgradeSchema } from '../http/server.js';
import {
  readStatus,
  startFileServer,
  startRegistry,
  startS3rver,
  timeCommand,
  watchMemory,
} from './processes.js';

export const BUCKET = 'bench-bucket';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
// The server's S3 puts (src/storage/s3-object-store.ts): 8 MiB parts, 3 in flight. The server
// sends them itself (src/storage/s3-part-upload.ts, 3 reused part buffers); the limit is
// lib-storage's Upload with the same part size and number in flight.
export const PUT_PART_SIZE = 8 * 2 ** 20;
export const PUT_QUEUE_SIZE = 3;

/**
 * @param {{ mode: 'local' | 's3', root: string, stepDir: string, source: { file: string,
 *   bytes: number, sha256: string }, curl: string, log: (m: string) => void }} context
 */
export async function apiStep({ mode, root, stepDir, source, curl, log }) {
  fs.mkdirSync(stepDir, { recursive: true });
  const databaseUrl = `sqlite:${path.join(stepDir, 'x.db')}`;
  let s3;
  let server;
  try {
    upgradeSchema(root, databaseUrl);
    let storageEnv;
    if (mode === 's3') {
      s3 = await startS3rver({ root, bucket: BUCKET, directory: path.join(stepDir, 's3rver') });
      storageEnv = {
        DATA_REGISTRY_STORAGE: `s3://${BUCKET}`,
        DATA_REGISTRY_S3_ENDPOINT: s3.endpoint,
        DATA_REGISTRY_S3_REGION: 'us-east-1',
        DATA_REGISTRY_S3_FORCE_PATH_STYLE: 'true',
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      };
    } else {
      storageEnv = { DATA_REGISTRY_STORAGE: path.join(stepDir, 'files') };
    }
    server = await startRegistry({
      root,
      databaseUrl,
      storageEnv,
      logFile: path.join(stepDir, 'server.log'),
    });
    const response = await fetch(`${server.url}/api/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `bench-files-${mode}`, description: 'files benchmark' }),
    });
    const record = await response.json();
    if (!response.ok) throw new Error(`POST /api/records answered ${response.status}`);
    const idleRss = readStatus(server.pid).rss;
    const fileUrl = `${server.url}/api/records/${record.id}/files/big.bin`;
    const answerFile = path.join(stepDir, 'answer.json');
    const upload = await watchMemory(server.pid, () =>
      timeCommand(curl, [
        '-sS',
        '-T',
        source.file,
        '-H',
        'Content-Type: application/octet-stream',
        '-o',
        answerFile,
        '-w',
        '%{http_code}',
        fileUrl,
      ]),
    );
    const answer = fs.readFileSync(answerFile, 'utf8');
    if (upload.result.stdout !== '201')
      throw new Error(`PUT answered ${upload.result.stdout}: ${answer.slice(0, 300)}`);
    const file = JSON.parse(answer);
    if (file.sha256 !== source.sha256 || Number(file.size) !== source.bytes)
      throw new Error(`PUT stored ${file.size} bytes, sha256 ${file.sha256}: not the file sent`);
    const download = await watchMemory(server.pid, () => curlDownload(curl, fileUrl, source.bytes));
    log(
      `  ${mode} API: upload ${mibPerSecond(source.bytes, upload.result.ms)}, download ${mibPerSecond(source.bytes, download.result.ms)} MiB/s, peak RSS ${Math.round(download.hwm / 1e6)} MB`,
    );
    return {
      uploadMs: upload.result.ms,
      downloadMs: download.result.ms,
      uploadPeakRss: upload.peakRss,
      downloadPeakRss: download.peakRss,
      hwm: download.hwm,
      idleRss,
      s3Helper: s3?.helper,
    };
  } finally {
    await server?.stop();
    await s3?.stop();
    fs.rmSync(stepDir, { recursive: true, force: true });
  }
}

/** The limit: `dd … conv=fsync` and a bare file server (local), lib-storage and a presigned GET (S3). */
export async function limitStep({ mode, root, stepDir, source, curl, log }) {
  fs.mkdirSync(stepDir, { recursive: true });
  let s3;
  let fileServer;
  try {
    let uploadMs;
    let downloadUrl;
    if (mode === 'local') {
      const target = path.join(stepDir, 'dd.bin');
      const mib = source.bytes / 2 ** 20;
      uploadMs = (
        await timeCommand('dd', [
          'if=/dev/zero',
          `of=${target}`,
          'bs=1M',
          `count=${mib}`,
          'conv=fsync',
        ])
      ).ms;
      fs.rmSync(target);
      fileServer = await startFileServer({
        root,
        file: source.file,
        logFile: path.join(stepDir, 'file-server.log'),
      });
      downloadUrl = `${fileServer.url}/big.bin`;
    } else {
      s3 = await startS3rver({ root, bucket: BUCKET, directory: path.join(stepDir, 's3rver') });
      const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
      const { Upload } = await import('@aws-sdk/lib-storage');
      const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
      // As the server's client is made for an endpoint (openS3ObjectStore).
      const client = new S3Client({
        region: 'us-east-1',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: CREDENTIALS,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      try {
        const started = performance.now();
        await new Upload({
          client,
          params: { Bucket: BUCKET, Key: 'big.bin', Body: fs.createReadStream(source.file) },
          partSize: PUT_PART_SIZE,
          queueSize: PUT_QUEUE_SIZE,
          leavePartsOnError: false,
        }).done();
        uploadMs = performance.now() - started;
        downloadUrl = await getSignedUrl(
          client,
          new GetObjectCommand({ Bucket: BUCKET, Key: 'big.bin' }),
          { expiresIn: 3600 },
        );
      } finally {
        client.destroy();
      }
    }
    const downloadMs = await curlDownload(curl, downloadUrl, source.bytes);
    log(
      `  ${mode} limit: upload ${mibPerSecond(source.bytes, uploadMs)}, download ${mibPerSecond(source.bytes, downloadMs.ms)} MiB/s`,
    );
    return { uploadMs, downloadMs: downloadMs.ms, s3Helper: s3?.helper };
  } finally {
    await fileServer?.stop();
    await s3?.stop();
    fs.rmSync(stepDir, { recursive: true, force: true });
  }
}

/** curl GET to /dev/null; checks the status and the byte count. */
async function curlDownload(curl, url, bytes) {
  const result = await timeCommand(curl, [
    '-sS',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code} %{size_download}',
    url,
  ]);
  const [status, size] = result.stdout.trim().split(' ');
  if (status !== '200' || Number(size) !== bytes)
    throw new Error(`GET answered ${status} with ${size} bytes (expected 200, ${bytes})`);
  return result;
}

export function mibPerSecond(bytes, ms) {
  return (bytes / 2 ** 20 / (ms / 1000)).toFixed(0);
}

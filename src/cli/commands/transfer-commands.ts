// `upload RECORD PATH…` and `download RECORD FILE [-o PATH]`: the command-line client of a running
// registry (src/client/). Prints results on stdout (`<sha256>  <name>` per upload, the path of a
// download), progress and messages on stderr.

import { findRecord } from '../../client/find-record.js';
import { downloadFile } from '../../client/download-file.js';
import { datasetOwner, recordOwner, type FileOwner } from '../../client/file-owner.js';
import { RegistryClient } from '../../client/registry-client.js';
import { readSourceFile, type SourceFile } from '../../client/source-file.js';
import { formatBytes, TransferProgress } from '../../client/transfer-progress.js';
import { uploadFile } from '../../client/upload-file.js';
import { loadConfig } from '../../config/config.js';
import { DataRegistryError } from '../../shared/errors.js';
import { printInfo, printResult, printWarning } from '../output.js';

export interface TransferFlags {
  readonly url?: string;
  readonly envFile?: string;
  /** `--dataset ID`: a dataset's files (of the record given) instead of the record's own. */
  readonly dataset?: string;
}

export interface UploadFlags extends TransferFlags {
  readonly parallel?: string;
  /** `--no-direct` sets it false. */
  readonly direct?: boolean;
  /** `--no-overwrite` sets it false: each upload sends `If-None-Match: *`. */
  readonly overwrite?: boolean;
}

export interface DownloadFlags extends TransferFlags {
  readonly output?: string;
}

/** Attempts per part of a direct upload, and the pause before the first retry. */
const partAttempts = 4;
const firstRetryDelayMs = 500;

export async function uploadCommand(
  recordRef: string,
  paths: readonly string[],
  flags: UploadFlags,
): Promise<void> {
  const parallel = parseParallel(flags.parallel);
  // Every path is checked before any byte is sent.
  const sources: SourceFile[] = [];
  for (const path of paths) sources.push(await readSourceFile(path));
  const duplicate = sources.find((source, index) =>
    sources.slice(0, index).some((other) => other.name === source.name),
  );
  if (duplicate !== undefined) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `Two paths name the file \`${duplicate.name}\`; a record holds one file per name.`,
    );
  }
  await withClient(flags, async (client) => {
    const owner = await findOwner(client, recordRef, flags);
    for (const source of sources) {
      const { file, isDirect } = await uploadFile(client, owner, source, {
        isDirectWanted: flags.direct ?? true,
        parallel,
        attempts: partAttempts,
        firstRetryDelayMs,
        startProgress: (label, total, done) => startProgress(`upload ${label}`, total, done),
        info: printInfo,
        conditionHeaders: flags.overwrite === false ? { 'if-none-match': '*' } : {},
      });
      const version =
        file.version === undefined || file.version === 1
          ? ''
          : `, version ${file.version} (the earlier versions are kept; --no-overwrite refuses instead)`;
      printInfo(
        `Uploaded ${source.path} to ${owner.label} as \`${file.name}\`${version}: ${formatBytes(file.size)}${isDirect ? ', directly to the store' : ''}, SHA-256 verified.`,
      );
      printResult(`${file.sha256}  ${file.name}`);
    }
  });
}

export async function downloadCommand(
  recordRef: string,
  fileName: string,
  flags: DownloadFlags,
): Promise<void> {
  await withClient(flags, async (client) => {
    const owner = await findOwner(client, recordRef, flags);
    const result = await downloadFile(client, {
      owner,
      fileName,
      output: flags.output,
      startProgress: (label, total) => startProgress(`download ${label}`, total, 0),
    });
    printInfo(
      `Downloaded \`${fileName}\` of ${owner.label}: ${formatBytes(result.size)}, SHA-256 verified.`,
    );
    printResult(result.path);
  });
}

async function findOwner(
  client: RegistryClient,
  recordRef: string,
  flags: TransferFlags,
): Promise<FileOwner> {
  const record = await findRecord(client, recordRef);
  return flags.dataset === undefined
    ? recordOwner(record)
    : datasetOwner(client, record, flags.dataset);
}

async function withClient(
  flags: TransferFlags,
  work: (client: RegistryClient) => Promise<void>,
): Promise<void> {
  const config = await loadConfig(
    { url: flags.url, envFile: flags.envFile },
    { readSecret: false },
  );
  config.warnings.forEach(printWarning);
  const client = new RegistryClient({ url: config.registryUrl, apiKey: config.apiKey });
  try {
    await work(client);
  } finally {
    client.close();
  }
}

function startProgress(label: string, total: number, done: number): TransferProgress {
  return new TransferProgress(process.stderr, label, total, done);
}

function parseParallel(text: string | undefined): number {
  if (text === undefined) return 4;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > 64) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `Invalid --parallel \`${text}\`: give a whole number from 1 to 64.`,
    );
  }
  return Number(text);
}

// The files benchmark (issue #4): a file of --size-mib MiB uploaded (`curl -T`, a streamed PUT)
// and downloaded (`curl -o /dev/null`) through `dataregistry serve`, a separate process started
// fresh for each run, with local storage and with S3 (s3rver on 127.0.0.1, its own process);
// beside the limit, the same bytes to the same storage without the registry: `dd … conv=fsync`
// and a bare file server (local), a lib-storage Upload and a presigned GET (S3). Limit and API
// runs alternate. The server's peak memory is its VmHWM (and VmRSS sampled every 50 ms).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseNameList, UsageError } from '../support/args.js';
import { findExecutable } from '../support/processes.js';
import { renderReport } from './report.js';
import { apiStep, limitStep } from './steps.js';

export const name = 'files';
export const heading = '## Files';
export const options = ['size-mib', 'rounds', 'modes'];
export const flags = new Set();
export const usage = `files       [--size-mib 1024] [--rounds 2] [--modes local,s3]`;

const MODES = ['local', 's3'];

function parseCount(text, what) {
  const value = Number(String(text).replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`${what}: "${text}" is not a positive number`);
  return value;
}

/** Writes `bytes` of random-looking data (one random MiB, repeated) and returns its sha256. */
function writeSource(file, bytes) {
  const block = crypto.randomBytes(2 ** 20);
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length) {
      const chunk = block.subarray(0, Math.min(block.length, bytes - written));
      fs.writeSync(fd, chunk);
      hash.update(chunk);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

export async function run({ options, root, log, commandLine }) {
  const settings = {
    sizeMib: parseCount(options.get('size-mib') ?? '1024', '--size-mib'),
    rounds: parseCount(options.get('rounds') ?? '2', '--rounds'),
    modes: parseNameList(options.get('modes') ?? MODES.join(','), MODES, '--modes'),
  };
  const curl = findExecutable('curl');
  if (!curl) throw new Error('the files benchmark needs curl on PATH');
  if (!findExecutable('dd')) throw new Error('the files benchmark needs dd on PATH');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataregistry-bench-files-'));
  const results = {
    settings,
    started: new Date(),
    workDir,
    loadBefore: os.loadavg()[0],
    modes: Object.fromEntries(settings.modes.map((mode) => [mode, { api: [], limit: [] }])),
    failures: [],
  };
  try {
    const bytes = settings.sizeMib * 2 ** 20;
    const file = path.join(workDir, 'source.bin');
    log(`files: writing a ${settings.sizeMib} MiB source file in ${workDir}`);
    const source = { file, bytes, sha256: writeSource(file, bytes) };
    let step = 0;
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const [index, mode] of settings.modes.entries()) {
        const order = (round + index) % 2 === 0 ? ['limit', 'api'] : ['api', 'limit'];
        log(`files: round ${round + 1}/${settings.rounds}, ${mode}: ${order.join(' then ')}`);
        for (const kind of order) {
          step += 1;
          const context = {
            mode,
            root,
            stepDir: path.join(workDir, `step-${step}`),
            source,
            curl,
            log,
          };
          try {
            const measured = await (kind === 'api' ? apiStep(context) : limitStep(context));
            results.modes[mode][kind].push(measured);
          } catch (error) {
            const message = `${mode} ${kind === 'api' ? 'API' : 'limit'}, round ${round + 1}: ${error.message}`;
            log(`files: FAILED ${message}`);
            results.failures.push(message);
          }
        }
      }
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  results.loadAfter = os.loadavg()[0];
  return renderReport(results, { commandLine });
}

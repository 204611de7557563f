// s3rver as its own process (argv: root, bucket), on a free port of 127.0.0.1, storing under
// os.tmpdir() (the parent sets TMPDIR). It uses the tests' helper (test/support/s3-server.ts, as
// built into .test-build/ by `npm run build:test`) when it is there: writes that reach the disk
// before s3rver answers, as S3 does; plain s3rver 3.7 otherwise. Prints one JSON line
// { endpoint, helper } once listening; stops (and removes its folder) on SIGTERM.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [root, bucket] = process.argv.slice(2);
const helperFile = path.join(root, '.test-build', 'test', 'support', 's3-server.js');

async function start() {
  if (fs.existsSync(helperFile)) {
    const { startS3Server } = await import(pathToFileURL(helperFile).href);
    const server = await startS3Server(bucket);
    return { endpoint: server.endpoint, helper: 'test/support/s3-server.ts', stop: server.stop };
  }
  const S3rver = createRequire(path.join(root, 'package.json'))('s3rver');
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dataregistry-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
    vhostBuckets: false,
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    helper: 'plain s3rver',
    stop: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

const server = await start();
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, helper: server.helper })}\n`);
process.on('SIGTERM', () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

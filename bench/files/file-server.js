// The download limit for local storage: a bare node:http server, its own process, that answers
// every request with the bytes of one file (argv: port, file), streamed from the disk (1 MiB reads) as the
// registry streams a stored file. No routing, database or checks.
import fs from 'node:fs';
import http from 'node:http';

const [port, file] = process.argv.slice(2);

http
  .createServer((request, response) => {
    request.resume();
    if (request.url === '/health') {
      response.end('ok');
      return;
    }
    const { size } = fs.statSync(file);
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    fs.createReadStream(file, { highWaterMark: 2 ** 20 }).pipe(response);
  })
  .listen(Number(port), '127.0.0.1');

process.on('SIGTERM', () => process.exit(0));

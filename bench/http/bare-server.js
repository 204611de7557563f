// A bare node:http server, run as its own process: every request, whatever its path, is read to
// the end and answered with one fixed status and body (argv: port, status, body file). Under the
// same autocannon load it shows the most any HTTP server can answer on this machine.
import fs from 'node:fs';
import http from 'node:http';

const [port, status, bodyFile] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile);
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': body.length,
};

http
  .createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(Number(status), headers);
      response.end(body);
    });
  })
  .listen(Number(port), '127.0.0.1');

process.on('SIGTERM', () => process.exit(0));

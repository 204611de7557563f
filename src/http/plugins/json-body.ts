// The JSON body parser: Fastify's own (which refuses `__proto__` and `constructor.prototype`
// keys), except that an empty body is no body. Many clients send `Content-Type: application/json`
// on a DELETE or a restore without a body; routes that need a body still refuse it with 400.

import type { ApiServer } from '../server-types.js';

export function registerJsonBodyParser(app: ApiServer): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // parseAs 'string' hands over a string; the type also allows a Buffer.
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') {
      done(null, undefined);
      return;
    }
    // Fastify's default parser answers through `done` and returns nothing.
    void parseJson(request, text, done);
  });
}

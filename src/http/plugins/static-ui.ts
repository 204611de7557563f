// Serves the built web interface (dist/ui): hashed assets under /assets with a year's cache, and
// index.html, never cached, at / and at the interface's own paths (client-side routes). Files
// are read and gzipped once at start; no UI logic lives here.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiServer } from '../server-types.js';

/**
 * The paths the interface routes itself (ui/src/router.ts); each answers index.html. Listed
 * rather than caught with `/*`, so that an unknown /api path still answers the JSON 404.
 */
export const clientRoutes = ['/', '/records/*', '/datasets/*'] as const;

interface StaticFile {
  readonly body: Buffer;
  readonly gzipped: Buffer | undefined;
  readonly contentType: string;
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

/** Compressing what is already compressed (PNG) or tiny gains nothing. */
const isWorthGzipping = (type: string, size: number) =>
  size > 1024 && !type.startsWith('image/png');

/**
 * Registers the interface's routes when `folder` holds a build (index.html and assets/); a server
 * built without one (tests, a bare build) simply has no interface.
 */
export function registerStaticUi(app: ApiServer, folder: string | undefined): void {
  if (folder === undefined || !existsSync(join(folder, 'index.html'))) return;
  const index = readStaticFile(join(folder, 'index.html'));
  const assets = new Map<string, StaticFile>();
  const assetsFolder = join(folder, 'assets');
  if (existsSync(assetsFolder)) {
    for (const name of readdirSync(assetsFolder)) {
      assets.set(name, readStaticFile(join(assetsFolder, name)));
    }
  }

  const sendIndex = (request: FastifyRequest, reply: FastifyReply) =>
    send(request, reply, index, 'no-cache');
  const hidden = { schema: { hide: true } };
  for (const path of clientRoutes) app.get(path, hidden, sendIndex);

  app.get<{ Params: { name: string } }>('/assets/:name', hidden, (request, reply) => {
    const asset = assets.get(request.params.name);
    if (asset === undefined) return reply.callNotFound();
    // Asset names carry a hash of their content (ui/build.js): a new build has new names.
    return send(request, reply, asset, 'public, max-age=31536000, immutable');
  });
}

function readStaticFile(path: string): StaticFile {
  const body = readFileSync(path);
  const contentType = contentTypes[extname(path)] ?? 'application/octet-stream';
  const gzipped = isWorthGzipping(contentType, body.length)
    ? gzipSync(body, { level: 9 })
    : undefined;
  return { body, gzipped, contentType };
}

function send(request: FastifyRequest, reply: FastifyReply, file: StaticFile, cache: string) {
  void reply.header('content-type', file.contentType).header('cache-control', cache);
  if (file.gzipped === undefined) return reply.send(file.body);
  void reply.header('vary', 'accept-encoding');
  if (!/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.send(file.body);
  return reply.header('content-encoding', 'gzip').send(file.gzipped);
}

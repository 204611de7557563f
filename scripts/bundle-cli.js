#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js) into dist/bundle/ with esbuild.
// Why: on Node 20 every start pays for resolving, reading and linking each module file (an
// ESM resolution calls realpath per import), which alone broke the budget of a no-op
// `upgrade head` (within 100 ms of `node -e 0`). The pure-JavaScript packages on the paths of
// the migration commands are therefore bundled: Kysely (~280 modules), commander, and the
// PostgreSQL and MySQL drivers with their small helper packages. Native or heavy server-side
// packages stay ordinary imports (better-sqlite3 locates its .node file from its own folder;
// Fastify, pino and the AWS SDK are used by `serve` and the file commands only), and lazy
// `import()`s stay lazy as separate chunks.
// dist/bundle/ sits at the same depth as dist/cli/, so `import.meta.url`-relative paths
// (package.json, migrations/versions) resolve the same from both.
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const bundled = new Set(['kysely', 'commander', 'pg', 'mysql2']);
const { dependencies = {} } = JSON.parse(readFileSync('package.json', 'utf8'));
const external = Object.keys(dependencies).filter((name) => !bundled.has(name));
// Optional add-ons the drivers load only when asked to (pg.native, Cloudflare sockets).
const optional = ['pg-native', 'pg-cloudflare'];

/**
 * pg picks its socket implementation when it is loaded, by probing for Cloudflare Workers with
 * `new Response(…)`; on Node 20 that first touch of the `Response` global loads undici (~20 ms
 * of every start). The bundle is for Node.js only, so the probe is replaced by Node's sockets.
 * The build fails if pg changes this code, rather than shipping an unpatched probe.
 */
const pgNodeSockets = {
  name: 'pg-node-sockets',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const probe = 'const { getStream, getSecureStream } = getStreamFuncs()';
      if (!source.includes(probe)) {
        throw new Error(`${args.path} no longer starts with \`${probe}\`; review pgNodeSockets`);
      }
      return {
        contents: source.replace(
          probe,
          'const { getStream, getSecureStream } = getNodejsStreamFuncs()',
        ),
        loader: 'js',
      };
    });
  },
};

// Chunk names carry content hashes, so each build starts from an empty folder (no stale
// chunks), built aside and swapped in, so a CLI started during a build finds a whole bundle.
const next = 'dist/bundle.next';
const previous = 'dist/bundle.previous';
rmSync(next, { recursive: true, force: true });

await build({
  entryPoints: ['dist/cli/main.js'],
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [...external, ...external.map((name) => `${name}/*`), ...optional],
  // CommonJS packages inside an ES module bundle need a `require` for Node's built-ins.
  banner: {
    js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
  },
  plugins: [pgNodeSockets],
  // Smaller source parses faster; names are kept so stack traces (--debug) stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
});

rmSync(previous, { recursive: true, force: true });
try {
  renameSync('dist/bundle', previous);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(next, 'dist/bundle');
rmSync(previous, { recursive: true, force: true });

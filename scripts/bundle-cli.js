#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js) into dist/bundle/ with esbuild.
// Why: Node 20 spends ~100 ms resolving and linking Kysely's ~280 ES modules on every start,
// which alone breaks the budget of a no-op `upgrade head` (within 100 ms of `node -e 0`).
// Only Kysely is bundled; every other dependency stays an ordinary import (native drivers,
// Fastify, the AWS SDK), and lazy `import()`s stay lazy as separate chunks.
// dist/bundle/ sits at the same depth as dist/cli/, so `import.meta.url`-relative paths
// (package.json, migrations/versions) resolve the same from both.
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const bundled = new Set(['kysely']);
const { dependencies = {} } = JSON.parse(readFileSync('package.json', 'utf8'));
const external = Object.keys(dependencies).filter((name) => !bundled.has(name));

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
  external: [...external, ...external.map((name) => `${name}/*`)],
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

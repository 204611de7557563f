#!/usr/bin/env node
// Benchmark entry point: `node bench/run.js [suite…] [options]` (or `npm run bench -- [suite…] [options]`).
// A suite is a folder bench/<name>/ whose index.js exports `name`, `heading` (its `## ` section of
// docs/benchmarks.md), `usage`, `flags` (options without a value) and `run(context)`, which returns
// the markdown of that section. With no suite named, every suite runs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, UsageError } from './support/args.js';
import { replaceSection } from './support/markdown.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const docsFile = path.join(root, 'docs', 'benchmarks.md');
const GLOBAL_FLAGS = new Set(['no-docs', 'help']);

async function loadSuites() {
  const suites = new Map();
  for (const folder of fs.readdirSync(benchDir, { withFileTypes: true })) {
    if (!folder.isDirectory() || folder.name === 'support') continue;
    const entry = path.join(benchDir, folder.name, 'index.js');
    if (!fs.existsSync(entry)) continue;
    const suite = await import(pathToFileURL(entry).href);
    suites.set(suite.name, suite);
  }
  return suites;
}

function log(message) {
  const time = new Date().toISOString().slice(11, 19);
  process.stderr.write(
    `${message
      .split('\n')
      .map((line) => `${time} ${line}`)
      .join('\n')}\n`,
  );
}

function commandLine(argv) {
  const quoted = argv.map((arg) =>
    /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`,
  );
  return process.env.npm_lifecycle_event === 'bench'
    ? ['npm', 'run', 'bench', ...(quoted.length ? ['--', ...quoted] : [])].join(' ')
    : ['node', 'bench/run.js', ...quoted].join(' ');
}

function usage(suites) {
  return [
    'usage: node bench/run.js [suite…] [options]   (npm run bench -- [suite…] [options])',
    '  --no-docs   print the tables only; leave docs/benchmarks.md alone',
    'suites:',
    ...[...suites.values()].map((suite) => `  ${suite.usage}`),
  ].join('\n');
}

async function main() {
  const suites = await loadSuites();
  const argv = process.argv.slice(2);
  const flags = new Set([
    ...GLOBAL_FLAGS,
    ...[...suites.values()].flatMap((suite) => [...(suite.flags ?? [])]),
  ]);
  let parsed;
  try {
    parsed = parseArgs(argv, flags);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${usage(suites)}\n`);
    return 2;
  }
  if (parsed.options.has('help')) {
    process.stdout.write(`${usage(suites)}\n`);
    return 0;
  }
  const unknown = parsed.positional.filter((name) => !suites.has(name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown suite ${unknown.join(', ')}\n${usage(suites)}\n`);
    return 2;
  }
  const chosen = parsed.positional.length > 0 ? parsed.positional : [...suites.keys()];
  const known = new Set([
    ...GLOBAL_FLAGS,
    ...chosen.flatMap((name) => suites.get(name).options ?? []),
  ]);
  const unknownOptions = [...parsed.options.keys()].filter((option) => !known.has(option));
  if (unknownOptions.length > 0) {
    process.stderr.write(
      `bench: unknown option ${unknownOptions.map((o) => `--${o}`).join(', ')}\n${usage(suites)}\n`,
    );
    return 2;
  }
  for (const name of chosen) {
    const suite = suites.get(name);
    log(`suite ${name}: starting`);
    let section;
    try {
      section = await suite.run({
        options: parsed.options,
        root,
        log,
        commandLine: commandLine(argv),
      });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`bench: ${error.message}\n${usage(suites)}\n`);
      return 2;
    }
    process.stdout.write(`${section}\n`);
    if (!parsed.options.has('no-docs')) {
      const before = fs.existsSync(docsFile)
        ? fs.readFileSync(docsFile, 'utf8')
        : '# Benchmarks\n\nMeasured by `npm run bench`; each section is rewritten by its suite.\n';
      fs.writeFileSync(docsFile, replaceSection(before, suite.heading, section));
      log(
        `suite ${name}: wrote the "${suite.heading}" section of ${path.relative(root, docsFile)}`,
      );
    }
  }
  return 0;
}

process.exitCode = await main();

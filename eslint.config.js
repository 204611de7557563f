// Lint rules, including the import boundaries of docs/architecture (../shared/STYLE.md):
// the migration engine must stay independent of the registry, and only config/ reads the environment.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// `from` is one gitignore-style pattern or several (a `!pattern` exempts what the others match).
// `rule` lets a second rule add patterns to a file that another block already restricts: flat
// config replaces a rule's options per file, it does not merge them.
const restrict = (patterns, rule = 'no-restricted-imports') => ({
  [rule]: [
    'error',
    { patterns: patterns.map((group) => ({ group: [group.from].flat(), message: group.why })) },
  ],
});

const engineBoundary = [
  { from: '**/registry/**', why: 'migrate/ is the engine: it knows nothing of the registry.' },
  { from: '**/http/**', why: 'migrate/ is the engine: it knows nothing of HTTP.' },
  { from: '**/storage/**', why: 'migrate/ is the engine: it knows nothing of storage.' },
  { from: '**/config/**', why: 'migrate/ takes its database and folder as arguments.' },
  { from: '**/cli/**', why: 'migrate/ returns data; the CLI prints it.' },
];

export default tseslint.config(
  { ignores: ['dist/', '.test-build/', 'node_modules/', 'migrations/', '.bench/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/migrate/**/*.ts'],
    rules: restrict(engineBoundary),
  },
  {
    // Repeats engineBoundary: these options replace the block above's for graph/ and plan/.
    files: ['src/migrate/graph/**/*.ts', 'src/migrate/plan/**/*.ts'],
    rules: restrict([
      ...engineBoundary,
      { from: '**/db/**', why: 'The revision graph and planner are pure: no database.' },
      { from: '**/run/**', why: 'The revision graph and planner are pure: no database.' },
      { from: 'node:fs*', why: 'The revision graph and planner are pure: no files.' },
    ]),
  },
  {
    // Outside the engine, only its front door. no-restricted-imports does not see import(), so a
    // syntax rule covers that.
    files: ['src/**/*.ts'],
    ignores: ['src/migrate/**'],
    rules: {
      ...restrict(
        [
          {
            from: ['**/migrate/*/**', '**/migrate/*.js', '!**/migrate/index.js'],
            why: 'Outside migrate/, import the engine through its front door, migrate/index.js.',
          },
        ],
        '@typescript-eslint/no-restricted-imports',
      ),
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression[source.value=/[\\/]migrate[\\/](?!index\\.js$)/]',
          message: 'Outside migrate/, import the engine through its front door, migrate/index.js.',
        },
      ],
    },
  },
  {
    // Repeats engineBoundary, for the same reason as graph/ and plan/ above.
    files: ['src/migrate/check/rules/**/*.ts', 'src/migrate/check/parse/**/*.ts'],
    rules: restrict([
      ...engineBoundary,
      { from: 'node:fs*', why: "check's rules and parsers are pure: statements in, findings out." },
      { from: '**/run/**', why: "check's rules and parsers never touch a database." },
      { from: 'kysely', why: "check's rules and parsers never touch a database." },
    ]),
  },
  {
    files: ['src/http/**/*.ts'],
    rules: restrict([
      { from: 'kysely', why: 'http/ is thin: queries belong in registry/*-queries.ts.' },
      { from: 'pg', why: 'http/ is thin: no database driver.' },
      { from: 'mysql2', why: 'http/ is thin: no database driver.' },
      { from: 'better-sqlite3', why: 'http/ is thin: no database driver.' },
      { from: '**/db/**', why: 'http/ receives built services: cli/ (serve) opens the database.' },
      { from: '**/config/**', why: 'http/ takes values, not settings: cli/ (serve) reads them.' },
    ]),
  },
  {
    files: ['src/config/**/*.ts'],
    rules: restrict([
      {
        from: 'commander',
        why: 'config/ describes settings; cli/setting-options.ts makes options.',
      },
      {
        from: '**/cli/**',
        why: 'config/ describes settings; cli/setting-options.ts makes options.',
      },
    ]),
  },
  {
    files: ['src/registry/**/*.ts'],
    rules: restrict([
      { from: 'fastify', why: 'registry/ never sees a request or a reply.' },
      { from: '**/http/**', why: 'registry/ never sees a request or a reply.' },
    ]),
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config/**', 'src/cli/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only config/ and cli/ read the environment.',
        },
      ],
    },
  },
  {
    // Small files (../shared/STYLE.md): past 350 lines a module holds more than one idea, and is
    // split along a seam instead. Every physical line counts, blank or comment, as `wc -l` shows.
    files: ['src/**/*.ts', 'ui/src/**/*.ts', 'ui/src/**/*.tsx'],
    rules: { 'max-lines': ['error', { max: 350, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The import direction of the architecture (see src/README.md): each folder lists the
 * sibling folders it must not import. Pure core logic imports nothing of ours and no Node APIs.
 */
const ALL = [
  'core',
  'sandbox',
  'queue',
  'pyenv',
  'sampler',
  'runner',
  'exercises',
  'verify',
  'course',
  'store',
  'drills',
  'server',
  'cli',
  'bench',
];
const except = (...allowed) => ALL.filter((f) => !allowed.includes(f));
const forbiddenImports = {
  core: except(),
  sandbox: except('core'),
  queue: except('core'),
  pyenv: except('core'),
  exercises: except('core'),
  course: except('core', 'exercises', 'runner'),
  sampler: except('core', 'sandbox', 'pyenv'),
  runner: except('core', 'sandbox', 'queue', 'pyenv', 'sampler'),
  verify: except('core', 'sandbox', 'queue', 'pyenv', 'runner', 'exercises'),
  store: except('core'),
  drills: except('core', 'store', 'course', 'exercises', 'runner', 'sandbox', 'queue', 'pyenv'),
  // The outer layers may import every folder listed before them in ALL.
  server: except(...ALL.slice(0, ALL.indexOf('server'))),
  cli: except(...ALL.slice(0, ALL.indexOf('cli'))),
};

const boundaryConfigs = Object.entries(forbiddenImports).map(([folder, forbidden]) => ({
  files: [`src/${folder}/**/*.ts`],
  // Tests wire real parts together (a queue, a sandbox) and may import any folder.
  ignores: ['src/**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbidden.map((other) => ({
            group: [`../${other}/*`, `../../${other}/*`, `../${other}`, `../../${other}`],
            message: `src/${folder} may not import src/${other} (see src/README.md).`,
          })),
          ...(folder === 'core'
            ? [
                {
                  group: ['node:*'],
                  message: 'src/core is pure logic: no Node APIs (see src/core/README.md).',
                },
              ]
            : []),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.venv/**', 'data/**', 'python/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaryConfigs,
  {
    // No import cycles (the rule does not follow `import type`, which is erased): modules that
    // need each other's parts share a leaf module instead (e.g. server/context.ts). The
    // TypeScript resolver maps our `./x.js` specifiers to `./x.ts`; only our files are followed.
    files: ['src/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'web/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // The browser app: browser globals, and of the server side only the pure core (types and
    // plain functions), never Node APIs.
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'web/ runs in the browser: no Node APIs.' },
            ...ALL.filter((f) => f !== 'core').map((other) => ({
              group: [`**/src/${other}/*`, `**/src/${other}`],
              message: `web/ may import only src/core (see web/README.md), not src/${other}.`,
            })),
          ],
        },
      ],
    },
  },
);

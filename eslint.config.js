// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The import direction of the architecture (see src/README.md): each folder lists the
 * sibling folders it must not import. Pure core logic imports nothing of ours and no Node APIs.
 */
const forbiddenImports = {
  core: ['sandbox', 'queue', 'pyenv', 'runner', 'exercises', 'verify', 'course', 'cli', 'bench'],
  sandbox: ['queue', 'pyenv', 'runner', 'exercises', 'verify', 'course', 'cli', 'bench'],
  queue: ['sandbox', 'pyenv', 'runner', 'exercises', 'verify', 'course', 'cli', 'bench'],
  pyenv: ['sandbox', 'queue', 'runner', 'exercises', 'verify', 'course', 'cli', 'bench'],
  exercises: ['sandbox', 'queue', 'pyenv', 'runner', 'verify', 'course', 'cli', 'bench'],
  course: ['sandbox', 'queue', 'pyenv', 'verify', 'cli', 'bench'],
  runner: ['exercises', 'verify', 'course', 'cli', 'bench'],
  verify: ['course', 'cli', 'bench'],
  cli: ['bench'],
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
);

// Lint enforces the four rooms of ../shared/STYLE.md: where code runs decides what it may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'net', 'tls', 'http', 'https', 'crypto', 'child_process', 'stream', 'dns'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['scripts/**/*.mjs', '*.js'], languageOptions: { globals: globals.node } },
  { files: ['renderer/**/*.js'], languageOptions: { globals: globals.browser } },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['vite.config.ts'], // tools read their config from a default export
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports (STYLE.md convention 1).' }],
    },
  },
  {
    files: ['electron/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!zod$|\\./)', message: 'contract/ may import only zod and its own files: it runs everywhere.' }] }],
    },
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The engine never imports electron: it runs in plain Node (headless service, tests).' }],
          patterns: [
            { group: ['**/main/**', '**/preload/**', '**/headless/**', '**/renderer/**'], message: 'The engine may import only node:*, contract/ and mail libraries.' },
            { group: ['react', 'react-dom'], message: 'No DOM in the engine.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/headless/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The headless host runs in plain Node.' }], patterns: [{ group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'headless/ uses engine and contract only.' }] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks only through the contract (window.mxSpool / HTTP).' }],
          patterns: [{ group: nodeBuiltins, message: 'The renderer runs in a sandboxed browser: no Node modules.' }, { group: ['**/engine/**', '**/main/**', '**/headless/**'], message: 'The renderer may import contract types only.' }],
        },
      ],
    },
  },
);

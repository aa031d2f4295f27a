import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Architecture boundaries (guide/architecture.md), enforced mechanically.
const noSw = { group: ['**/sw/**', '../sw/*', '../../sw/*'], message: 'sdk/ never imports sw/.' };
const noDevtools = { group: ['**/devtools/**', '../devtools/*'], message: 'sdk/ and sw/ never import devtools/ (it ships only when an app imports it).' };
const policyOnly = {
  group: ['../*', '!./*', 'idb', 'workbox-*', '**/sdk/**', '**/store/**', '**/layers/**'],
  message: 'sw/policy is pure: it imports nothing outside itself.',
};

export default defineConfig(
  globalIgnores(['examples/', 'dist/', 'coverage/', '**/__screenshots__/', '.vitest/', '.vitest-attachments/', 'test-results/', 'bench/results/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['sw/policy/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [policyOnly] }] } },
  { files: ['sdk/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noSw, noDevtools] }] } },
  {
    files: ['sw/**/*.ts'],
    ignores: ['sw/policy/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sdk/worker/**', '**/sdk/index*', '**/demo/**'],
              message: 'sw/ may import only sdk/runtime-cache, sdk/request, sdk/protocol.ts, sdk/errors.ts, sdk/worker-params.ts and sw/policy.',
            },
            noDevtools,
          ],
        },
      ],
    },
  },
  {
    // integrations/ run in Node at config/build time: the pure policy and the SDK's shared types only.
    files: ['integrations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/sw/*', '!**/sw/policy', '**/sw/store/**', '**/sw/layers/**'], message: 'integrations/ may import sw/policy only.' },
            { group: ['**/demo/**', '**/devtools/**', '**/sdk/worker/**', '**/sdk/runtime-cache/**', 'idb'], message: 'integrations/ never import DOM or browser code.' },
          ],
        },
      ],
    },
  },
  {
    // tiercache/server runs on Node and edge runtimes: no worker internals, no DOM code (architecture.md).
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sw/**', '**/sdk/*', '!**/sdk/feed-event*', '!**/sdk/errors*', '**/sdk/*/**', '**/demo/**'],
              message: 'server/ may import only sdk/feed-event.ts and sdk/errors.ts (pure).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['demo/**/*.ts'],
    ignores: ['demo/origin/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/sdk/*/**', '!**/sdk/index*'], message: 'demo/ uses the SDK through sdk/index.ts only.' },
            { group: ['**/sw/*', '!**/sw/policy', '**/sw/store/**', '**/sw/layers/**'], message: 'demo/ may import sw/policy only.' },
            { group: ['**/devtools/*', '!**/devtools/views.ts', '!**/devtools/views.css', '!**/devtools/index.ts', '**/devtools/*/**'], message: 'demo/ uses devtools through its public entries (devtools/index.ts, devtools/views.ts).' },
          ],
        },
      ],
    },
  },
  {
    files: ['devtools/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/sdk/*/**', '!**/sdk/index*'], message: 'devtools/ uses the SDK through sdk/index.ts only.' },
            { group: ['**/sw/*', '!**/sw/policy', '**/sw/*/**', '!**/sw/policy/index*'], message: 'devtools/ may import sw/policy (its index) only, for explain().' },
            { group: ['**/demo/**', '**/integrations/**', '**/server/**'], message: 'devtools/ is page code on the SDK alone.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);

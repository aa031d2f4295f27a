import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Architecture boundaries (guide/architecture.md), enforced mechanically.
const noSw = { group: ['**/sw/**', '../sw/*', '../../sw/*'], message: 'sdk/ never imports sw/.' };
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
  { files: ['sdk/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noSw] }] } },
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
    files: ['demo/**/*.ts'],
    ignores: ['demo/origin/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/sdk/*/**', '!**/sdk/index*'], message: 'demo/ uses the SDK through sdk/index.ts only.' },
            { group: ['**/sw/*', '!**/sw/policy', '**/sw/store/**', '**/sw/layers/**'], message: 'demo/ may import sw/policy only.' },
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

import { afterEach, expect, test, vi } from 'vitest';
import { getEnv } from '../../../sdk/request/index.ts';

const KEYS = [
  'VERCEL', 'CI', 'VERCEL_ENV', 'VERCEL_URL', 'VERCEL_BRANCH_URL', 'VERCEL_PROJECT_PRODUCTION_URL', 'VERCEL_REGION',
  'VERCEL_DEPLOYMENT_ID', 'VERCEL_SKEW_PROTECTION_ENABLED', 'VERCEL_AUTOMATION_BYPASS_SECRET', 'VERCEL_GIT_PROVIDER',
  'VERCEL_GIT_REPO_SLUG', 'VERCEL_GIT_REPO_OWNER', 'VERCEL_GIT_REPO_ID', 'VERCEL_GIT_COMMIT_REF', 'VERCEL_GIT_COMMIT_SHA',
  'VERCEL_GIT_COMMIT_MESSAGE', 'VERCEL_GIT_COMMIT_AUTHOR_LOGIN', 'VERCEL_GIT_COMMIT_AUTHOR_NAME', 'VERCEL_GIT_PREVIOUS_SHA',
  'VERCEL_GIT_PULL_REQUEST_ID',
];

afterEach(() => vi.unstubAllEnvs());

test('R131: exactly the 21 keys, read from an injected env object', () => {
  const env = Object.fromEntries(KEYS.map((key) => [key, `v-${key}`]));
  const result = getEnv({ ...env, OTHER: 'x', VERCEL_OIDC_TOKEN: 'secret' });
  expect(Object.keys(result).sort()).toEqual([...KEYS].sort());
  expect(result).toEqual(env);
});

test('R131: empty strings read as undefined, and missing keys are present as undefined', () => {
  const result = getEnv({ VERCEL_ENV: 'preview', VERCEL_URL: '', CI: '1' });
  expect(result.VERCEL_ENV).toBe('preview');
  expect(result.CI).toBe('1');
  expect(result.VERCEL_URL).toBeUndefined();
  expect('VERCEL_REGION' in result).toBe(true);
  expect(result.VERCEL_REGION).toBeUndefined();
});

test('R131: defaults to process.env where it exists', () => {
  vi.stubEnv('VERCEL_REGION', 'fra1');
  expect(getEnv().VERCEL_REGION).toBe('fra1');
});

test('R131: a bundler env object (import.meta.env style, with booleans) is accepted', () => {
  expect(getEnv({ DEV: true, MODE: 'test', VERCEL: '1', CI: true }).VERCEL).toBe('1');
  expect(getEnv({ CI: true }).CI).toBeUndefined();
});

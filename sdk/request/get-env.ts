/**
 * R131: Vercel's system environment variables, exactly these 21 keys, empty strings read as undefined.
 * A browser has no `process.env`, so the source is injectable: `getEnv(import.meta.env)`.
 */
const KEYS = [
  'VERCEL',
  'CI',
  'VERCEL_ENV',
  'VERCEL_URL',
  'VERCEL_BRANCH_URL',
  'VERCEL_PROJECT_PRODUCTION_URL',
  'VERCEL_REGION',
  'VERCEL_DEPLOYMENT_ID',
  'VERCEL_SKEW_PROTECTION_ENABLED',
  'VERCEL_AUTOMATION_BYPASS_SECRET',
  'VERCEL_GIT_PROVIDER',
  'VERCEL_GIT_REPO_SLUG',
  'VERCEL_GIT_REPO_OWNER',
  'VERCEL_GIT_REPO_ID',
  'VERCEL_GIT_COMMIT_REF',
  'VERCEL_GIT_COMMIT_SHA',
  'VERCEL_GIT_COMMIT_MESSAGE',
  'VERCEL_GIT_COMMIT_AUTHOR_LOGIN',
  'VERCEL_GIT_COMMIT_AUTHOR_NAME',
  'VERCEL_GIT_PREVIOUS_SHA',
  'VERCEL_GIT_PULL_REQUEST_ID',
] as const;

export type EnvKey = (typeof KEYS)[number];
export type Env = { readonly [K in EnvKey]: string | undefined };
export type EnvSource = Readonly<Record<string, unknown>>;

/** `process.env` where it exists (Node, bundlers that define it), else an empty source. */
function defaultSource(): EnvSource {
  const process = (globalThis as { process?: { env?: EnvSource } }).process;
  return process?.env ?? {};
}

export function getEnv(env: EnvSource = defaultSource()): Env {
  const out: Partial<Record<EnvKey, string | undefined>> = {};
  for (const key of KEYS) {
    const value = env[key];
    // Deviation: non-string values (a bundler's boolean flags) read as undefined rather than leaking through.
    out[key] = typeof value === 'string' && value !== '' ? value : undefined;
  }
  return out as Env;
}

import { resolve } from 'node:path';
import type { RouteHeaderRuleConfig } from '../../sdk/protocol.ts';
import { readVercelHeaderRules, workerCachingWarnings } from '../shared/vercel-json.ts';
import { invalid, workerParams, type WorkerOptions } from '../shared/worker-options.ts';
import { newDeploymentId, workerScript } from '../shared/worker-script.ts';
import { deploymentId, staticFiles, type NextBuildSource } from './next-build.ts';

export interface WorkerRouteOptions extends WorkerOptions {
  /** R50: a fixed deployment id (default: Vercel's or Next's deployment id, else the build's BUILD_ID). */
  deployment?: string;
  /** next.config `distDir` (default `.next`). */
  distDir?: string;
  /** The vercel.json whose `headers` the emulated edge applies (default `vercel.json` in the app root; false: none). */
  vercelJson?: string | false;
}

type RouteHandler = (request: Request) => Response;

const OWN_KEYS = ['deployment', 'distDir', 'vercelJson'];

/**
 * A Next.js route handler (`app/sw.js/route.ts`) that serves the cache worker configured for this app:
 * the package's prebuilt worker behind a manifest (integrations/shared/worker-script.ts) holding the
 * deployment id, Next's static files (R48) and the vercel.json header rules (R5). Next applies its own
 * `next.config` `headers()` to the responses the worker sees, so those are not repeated here.
 *
 * Options are checked when the route module loads: a mistake is a TierCacheError `invalid-options`
 * from the worker route, never a broken page. At run time a failure to build
 * the script answers 500, so registration fails and the site works on without the worker.
 */
export function createWorkerRoute(options: WorkerRouteOptions = {}): RouteHandler {
  const params = workerParams(options, OWN_KEYS);
  const fixedDeployment = checkDeployment(options.deployment);
  const distDir = checkDistDir(options.distDir);
  if (options.vercelJson !== undefined && options.vercelJson !== false && typeof options.vercelJson !== 'string') {
    throw invalid('vercelJson must be a file path or false');
  }
  // `next dev` rebuilds files under the same /_next/static URLs: nothing there lives as long as the
  // deployment, and every dev-server start is a deployment of its own.
  const dev = process.env.NODE_ENV === 'development';
  const devDeployment = newDeploymentId('dev');
  let rules: RouteHeaderRuleConfig[] | undefined;
  let built: string | undefined;

  const script = (request: Request): string => {
    if (built !== undefined) return built;
    const source: NextBuildSource = { root: process.cwd(), distDir, basePath: basePathOf(request), env: process.env };
    if (rules === undefined) {
      const file = options.vercelJson === false ? undefined : resolve(source.root, options.vercelJson ?? 'vercel.json');
      rules = file ? readVercelHeaderRules(file, console.warn) : [];
      for (const warning of workerCachingWarnings(rules, new URL(request.url).pathname)) console.warn(warning);
    }
    const text = workerScript({
      deployment: fixedDeployment ?? (dev ? devDeployment : deploymentId(source)),
      staticFiles: dev ? [] : staticFiles(source),
      headerRules: rules,
      params,
    });
    // A running `next start` serves one build: the script never changes while it runs.
    if (!dev) built = text;
    return text;
  };

  return function GET(request: Request): Response {
    let body: string;
    try {
      body = script(request);
    } catch (error) {
      console.error('[tiercache] the cache worker script could not be built; the site works on without it.', error);
      return new Response('tiercache: the cache worker is unavailable (see the server log).', {
        status: 500,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
      });
    }
    // Never cached by a browser or CDN: a kept worker script would keep an old deployment's worker alive.
    return new Response(body, { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' } });
  };
}

/** The worker route with the defaults (the browser layer only): `export { GET } from 'tiercache/next'`. */
export const GET: RouteHandler = createWorkerRoute();

/** next.config `basePath`, which Next exposes on its request object (a plain Request has none). */
function basePathOf(request: Request): string {
  const basePath = (request as Request & { nextUrl?: { basePath?: unknown } }).nextUrl?.basePath;
  return typeof basePath === 'string' ? basePath : '';
}

function checkDeployment(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(value)) throw invalid('deployment must be 1-100 characters from A-Z a-z 0-9 . _ -');
  return value;
}

function checkDistDir(value: unknown): string {
  if (value === undefined) return '.next';
  if (typeof value !== 'string' || value === '') throw invalid('distDir must be a non-empty path');
  return value;
}

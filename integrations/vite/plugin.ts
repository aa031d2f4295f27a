import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Connect, Plugin, ResolvedConfig } from 'vite';
import type { RouteHeaderRuleConfig } from '../../sdk/protocol.ts';
import { invalid, workerParams, type WorkerOptions } from '../shared/worker-options.ts';
import { newDeploymentId, workerScript } from '../shared/worker-script.ts';
import { readVercelHeaderRules, workerCachingWarnings } from '../shared/vercel-json.ts';

export interface TierCacheOptions extends WorkerOptions {
  /** The worker's file name under `base` (default `sw.js`: served and emitted at `/sw.js`). */
  filename?: string;
  /** Registration scope (default: `base`). */
  scope?: string;
  /** R50: a fixed deployment id (default: a new one for every build and every dev-server start). */
  deployment?: string;
  /** The vercel.json whose `headers` the edge applies (default `vercel.json` in the root; false: none). */
  vercelJson?: string | false;
}

const VIRTUAL = 'virtual:tiercache';
const RESOLVED = `\0${VIRTUAL}`;
const OWN_KEYS = ['filename', 'scope', 'deployment', 'vercelJson'];

/**
 * `tiercache()` in `plugins`: the worker served (dev, preview) and emitted (build) at its real URL,
 * configured through a build manifest (integrations/shared/worker-script.ts), and `virtual:tiercache`
 * registering it. Options are checked here, at config time: a mistake is a TierCacheError
 * `invalid-options` naming the option, never a broken page.
 */
export function tiercache(options: TierCacheOptions = {}): Plugin {
  const params = workerParams(options, OWN_KEYS);
  const filename = checkFilename(options.filename);
  if (options.scope !== undefined && (typeof options.scope !== 'string' || !options.scope.startsWith('/'))) throw invalid('scope must be a path starting with "/"');
  if (options.deployment !== undefined && (typeof options.deployment !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(options.deployment))) {
    throw invalid('deployment must be 1-100 characters from A-Z a-z 0-9 . _ -');
  }
  if (options.vercelJson !== undefined && options.vercelJson !== false && typeof options.vercelJson !== 'string') throw invalid('vercelJson must be a file path or false');

  let config: ResolvedConfig;
  let basePath = '/';
  let vercelFile: string | undefined;
  let headerRules: RouteHeaderRuleConfig[] = [];
  let deployment = '';
  const workerUrl = () => `${basePath}${filename}`;

  const readRules = (warn: (message: string) => void) => {
    headerRules = vercelFile ? readVercelHeaderRules(vercelFile, warn) : [];
    for (const warning of workerCachingWarnings(headerRules, workerUrl())) warn(warning);
  };

  return {
    name: 'tiercache',
    configResolved(resolved) {
      config = resolved;
      basePath = basePathOf(resolved.base);
      vercelFile = options.vercelJson === false ? undefined : resolve(resolved.root, options.vercelJson ?? 'vercel.json');
      deployment = options.deployment ?? newDeploymentId(resolved.command === 'build' ? 'build' : 'dev');
      readRules((message) => resolved.logger.warn(message));
      const assets = `${resolved.build.assetsDir.replace(/^\/|\/$/g, '')}/`;
      if (assets !== '/' && filename.startsWith(assets)) {
        resolved.logger.warn(`tiercache: the worker ${workerUrl()} is under the hashed-assets folder "${assets}", which hosts cache for a year; its updates would never land. Choose a filename outside it.`);
      }
    },
    resolveId(id) {
      return id === VIRTUAL ? RESOLVED : undefined;
    },
    load(id) {
      if (id !== RESOLVED) return undefined;
      return registrationModule(workerUrl(), options.scope ?? basePath);
    },
    configureServer(server) {
      // Dev: the worker at its real URL, built from the package's worker plus this session's manifest.
      if (vercelFile) {
        const file = vercelFile;
        server.watcher.add(file);
        server.watcher.on('change', (changed) => {
          if (resolve(changed) !== file) return;
          try {
            readRules((message) => server.config.logger.warn(message));
          } catch (error) {
            server.config.logger.error(error instanceof Error ? error.message : String(error));
          }
        });
      }
      server.middlewares.use(answerWorker(workerUrl, options.scope ?? basePath, () => workerScript({ deployment, staticFiles: [], headerRules, params })));
    },
    configurePreviewServer(server) {
      // Preview: the emitted worker, never cached by the browser.
      const file = join(resolve(server.config.root, server.config.build.outDir), filename);
      server.middlewares.use(answerWorker(workerUrl, options.scope ?? basePath, () => readFileSync(file, 'utf8')));
    },
    writeBundle() {
      if (config.build.ssr || (this.environment !== undefined && this.environment.name !== 'client')) return;
      const outDir = resolve(config.root, config.build.outDir);
      const staticFiles = staticPaths(outDir, basePath).filter((path) => path !== workerUrl());
      const target = join(outDir, filename);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, workerScript({ deployment, staticFiles, headerRules, params }));
    },
  };
}

function checkFilename(value: unknown): string {
  if (value === undefined) return 'sw.js';
  if (typeof value !== 'string' || !/^[A-Za-z0-9._/-]+\.js$/.test(value.replace(/^\//, '')) || value.includes('..')) {
    throw invalid('filename must be a relative .js path such as "sw.js"');
  }
  return value.replace(/^\//, '');
}

/** The URL path Vite's `base` stands for (`./` and full URLs serve from `/` on this origin). */
function basePathOf(base: string): string {
  if (base.startsWith('/')) return base.endsWith('/') ? base : `${base}/`;
  if (/^https?:/.test(base)) return basePathOf(new URL(base).pathname);
  return '/';
}

function answerWorker(workerUrl: () => string, scope: string, script: () => string): Connect.NextHandleFunction {
  return (req, res: ServerResponse, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== workerUrl()) return next();
    let body: string;
    try {
      body = script();
    } catch (error) {
      next(error);
      return;
    }
    // A worker script must never be served from an HTTP cache: updates would not land.
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Service-Worker-Allowed', scope);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/**
 * R48: every file of the output is a static file of the deployment, at `base` + its relative path;
 * a folder's index.html is also served at the folder's own path (`/`, `/docs/`).
 */
function staticPaths(outDir: string, basePath: string): string[] {
  const paths: string[] = [];
  for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = relative(outDir, join(entry.parentPath, entry.name)).split(sep).map(encodeURIComponent).join('/');
    paths.push(`${basePath}${rel}`);
    if (entry.name === 'index.html') paths.push(`${basePath}${rel.slice(0, -'index.html'.length)}`);
  }
  return paths.sort();
}

/** `virtual:tiercache`: registers the worker once imported; a failure is a console warning, never an error. */
function registrationModule(swUrl: string, scope: string): string {
  return `import { registerCacheWorker } from 'tiercache';
export const swUrl = ${JSON.stringify(swUrl)};
export const scope = ${JSON.stringify(scope)};
export const worker = typeof navigator !== 'undefined' && 'serviceWorker' in navigator
  ? registerCacheWorker(swUrl, { scope }).catch((error) => {
      console.warn('[tiercache] the cache worker did not start; the site keeps working without it.', error);
      return null;
    })
  : Promise.resolve(null);
`;
}

import { readFileSync } from 'node:fs';
import type { RouteHeaderRuleConfig } from '../../sdk/protocol.ts';

/**
 * What an integration tells the worker beyond its script URL (read by sw/config.ts). A list of
 * hundreds of files and header rules do not fit a URL, so the integration serves the worker as a
 * one-line prologue assigning this manifest to `self.__TIERCACHE__`, followed by the prebuilt worker.
 * A new build yields byte-different script text, which is what makes browsers install the new worker.
 */
export interface WorkerManifest {
  /** R50: the deployment id; a new one starts the emulated edge cold. */
  deployment: string;
  /** R48: the exact URL paths of the build's static files (`/assets/app-1a2b.js`, `/`, `/index.html`). */
  staticFiles?: string[];
  /** R5: vercel.json `headers` rules the edge applies under the origin's own headers. */
  headerRules?: RouteHeaderRuleConfig[];
  /** Defaults for the worker's script-URL parameters (workerParams()); the URL's own query wins. */
  params?: Record<string, string>;
}

/**
 * The full worker script for a manifest. `worker` is the prebuilt worker's text (default: the package's
 * `sw.js`, beside this module in dist/).
 */
export function workerScript(manifest: WorkerManifest, worker: string = builtWorker()): string {
  const { deployment, staticFiles, headerRules, params } = manifest;
  const value = { params: { ...params, deployment }, ...(staticFiles ? { staticFiles } : {}), ...(headerRules ? { headerRules } : {}) };
  return `self.__TIERCACHE__ = ${JSON.stringify(value)};\n${worker}`;
}

/** The prebuilt worker's text, read from the package (the build puts this module beside dist/sw.js). */
export function builtWorker(): string {
  return readFileSync(new URL(/* @vite-ignore */ './sw.js', import.meta.url), 'utf8');
}

/** A fresh deployment id: every build (and every dev-server start) is a new deployment (R50). */
export function newDeploymentId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

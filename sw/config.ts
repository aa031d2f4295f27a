import type { ConfigIssue, LayerName, RouteHeaderRuleConfig, WorkerConfig, WorkerProfile } from '../sdk/protocol.ts';
import { REGION_ID } from '../sdk/worker-params.ts';
import { compileRouteRules } from './policy/index.ts';
import { readPolicyFlags } from './read-policy-flags.ts';

/**
 * The worker's configuration, read once from the registered script URL's query
 * (architecture.md "Contracts"): `/sw.js?layers=browser,cdn,edge&profile=vercel&deployment=d1`.
 *
 * An integration (tiercache/vite, tiercache/next) serves the worker as a short prologue assigning a
 * build manifest to `self.__TIERCACHE__` followed by the built worker (integrations/shared/
 * worker-script.ts). The manifest holds what does not fit a URL: `staticFiles` (the build's exact
 * output paths, R48), `headerRules` (vercel.json `headers`, R5), and `params`: defaults for any query
 * parameter below (the deployment id among them). The query still wins over `params`.
 *
 * Knobs beyond the contract, all optional:
 * - `staticPrefix` (default `/assets/`, Vite's output folder, unless the manifest lists `staticFiles`):
 *   paths the edge treats as static files (R48).
 * - `include`: comma list of path prefixes the layers handle (default `/`: everything same-origin).
 *   Requests outside it pass through untouched (tests use it so the dev server's modules never are cached).
 * - `crossOrigin`: comma list of other origins (`https://api.example.com`) whose CORS-mode requests go
 *   through the layers too (default none: cross-origin requests pass through untouched).
 * - `budget`: per-layer body byte budget for LRU eviction (R11/R119; default: the store's).
 * - `hot`: bytes of small bodies (≤ 64 KiB each) the worker also holds in memory so a hit reads no
 *   Cache Storage (default 4 MiB; `0` turns the hot tier off). Lost with the worker: only speed.
 * - `upstreamTimeoutMs` (default 10 000): a revalidation (foreground or background) still unanswered
 *   after this long counts as a network failure (stale-if-error applies, the refresh slot is freed).
 * - `region` (default none): the simulated edge region (`fra1`), part of the edge key (R24): entries
 *   stored under one region are not visible under another, tag purges reach all of them. It is also
 *   the default first segment of the `x-vercel-id` request header (R127) when the visitor names none.
 * - the policy flags of semantics.md §15 under their own names (`lenientTargetedParsing`,
 *   `edgeHonorsMaxAgeInCacheControl`, `stripWhen`, `criteriaReadCacheControlAlways`, `ageMitigation`,
 *   `forwardCacheTagHeader`, `maxBodyBytes`; read-policy-flags.ts).
 * - `store`: a name suffix for the HTTP store's database and caches (test isolation; default `default`).
 * - `testHooks=1`: accept the fault-injection command (tests only; off by default).
 *
 * Invalid values never break the site: each is reported (console, and inspect() through `issues`)
 * and replaced by its default.
 */

const LAYER_ORDER: readonly LayerName[] = ['browser', 'cdn', 'edge'];
const PROFILES: readonly WorkerProfile[] = ['vercel', 'rfc9111'];

export interface ConfigDefaults {
  deployment: string;
}

export function readConfig(scriptUrl: string, defaults: ConfigDefaults, manifest?: unknown): WorkerConfig {
  const url = new URL(scriptUrl);
  const issues: ConfigIssue[] = [];
  const report = (param: string, value: string, message: string) => issues.push({ param, value, message });
  const built = readManifest(manifest, report);
  const query = new URLSearchParams(built.params);
  for (const [name, value] of url.searchParams) query.set(name, value);
  // R48: a build that lists its static files is exact; the prefix is only a guess for builds that do not.
  const prefixFallback = built.staticFiles ? null : '/assets/';
  const rawPrefix = query.get('staticPrefix');

  return {
    layers: readLayers(query.get('layers'), report),
    profile: readProfile(query.get('profile'), report),
    deployment: readName('deployment', query.get('deployment'), defaults.deployment, report),
    staticPrefix: rawPrefix === null ? prefixFallback : readPrefix('staticPrefix', rawPrefix, '/assets/', report),
    staticFiles: built.staticFiles ?? [],
    headerRules: built.headerRules,
    include: readInclude(query.get('include'), report),
    crossOrigins: readOrigins(query.get('crossOrigin'), report),
    budgetBytes: readBudget(query.get('budget'), report),
    hotBytes: readHot(query.get('hot'), report),
    upstreamTimeoutMs: readTimeout(query.get('upstreamTimeoutMs'), report),
    storeName: readName('store', query.get('store'), 'default', report),
    region: readRegion(query.get('region'), report),
    flags: readPolicyFlags(query, report),
    testHooks: query.get('testHooks') === '1',
    scriptPath: url.pathname,
    issues,
  };
}

type Report = (param: string, value: string, message: string) => void;

interface BuildManifest {
  params: Record<string, string>;
  staticFiles: string[] | undefined;
  headerRules: RouteHeaderRuleConfig[];
}

/** The integration's manifest (`self.__TIERCACHE__`); anything malformed is reported and left out. */
function readManifest(raw: unknown, report: Report): BuildManifest {
  const manifest: BuildManifest = { params: {}, staticFiles: undefined, headerRules: [] };
  if (raw === undefined) return manifest;
  if (!isObject(raw)) {
    report('manifest', JSON.stringify(raw) ?? typeof raw, 'expected an object; ignoring it');
    return manifest;
  }
  if (isObject(raw.params)) {
    for (const [name, value] of Object.entries(raw.params)) {
      if (typeof value === 'string') manifest.params[name] = value;
      else report(`manifest.params.${name}`, String(value), 'expected a string; ignoring it');
    }
  }
  if (raw.staticFiles !== undefined) {
    const files = raw.staticFiles;
    if (Array.isArray(files) && files.every((file) => typeof file === 'string' && file.startsWith('/'))) manifest.staticFiles = files as string[];
    else report('manifest.staticFiles', JSON.stringify(files) ?? typeof files, 'expected an array of paths starting with "/"; ignoring it');
  }
  if (raw.headerRules !== undefined) {
    const rules = Array.isArray(raw.headerRules) ? raw.headerRules.filter(isRuleShape) : [];
    if (!Array.isArray(raw.headerRules) || rules.length !== raw.headerRules.length) {
      report('manifest.headerRules', JSON.stringify(raw.headerRules), 'expected vercel.json "headers" rules; ignoring malformed ones');
    }
    // The integration already warned about rules it cannot express; they never reach here from it.
    const { skipped } = compileRouteRules(rules);
    for (const rule of skipped) report('manifest.headerRules', rule.source, `${rule.reason}; rule skipped`);
    manifest.headerRules = rules.filter((_, index) => !skipped.some((rule) => rule.index === index));
  }
  return manifest;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRuleShape(rule: unknown): rule is RouteHeaderRuleConfig {
  if (!isObject(rule) || typeof rule.source !== 'string' || !Array.isArray(rule.headers)) return false;
  const conditions = [rule.has ?? [], rule.missing ?? []];
  return rule.headers.every((h) => isObject(h) && typeof h.key === 'string' && typeof h.value === 'string')
    && conditions.every((list) => Array.isArray(list) && list.every(isObject));
}

function readLayers(raw: string | null, report: Report): LayerName[] {
  if (raw === null) return ['browser'];
  const names = raw.split(',').map((name) => name.trim());
  const valid = names.filter((name): name is LayerName => (LAYER_ORDER as readonly string[]).includes(name));
  const unique = [...new Set(valid)];
  const inOrder = unique.every((name, i) => i === 0 || LAYER_ORDER.indexOf(name) > LAYER_ORDER.indexOf(unique[i - 1] as LayerName));
  if (unique.length === 0 || unique.length !== names.length || !inOrder) {
    report('layers', raw, 'expected a comma list of browser, cdn, edge (page side first, each once); using "browser"');
    return ['browser'];
  }
  return unique;
}

function readProfile(raw: string | null, report: Report): WorkerProfile {
  if (raw === null) return 'vercel';
  if ((PROFILES as readonly string[]).includes(raw)) return raw as WorkerProfile;
  report('profile', raw, 'expected vercel or rfc9111; using "vercel"');
  return 'vercel';
}

function readName(param: string, raw: string | null, fallback: string, report: Report): string {
  if (raw === null) return fallback;
  if (/^[A-Za-z0-9._-]{1,100}$/.test(raw)) return raw;
  report(param, raw, `expected 1-100 characters from A-Z a-z 0-9 . _ -; using "${fallback}"`);
  return fallback;
}

/**
 * R24: Vercel region ids are lowercase letters then digits (`fra1`, `iad1`, `dev1`). The id becomes
 * the first `:`-separated segment of x-vercel-id (R127), so it can never contain `:`.
 */
function readRegion(raw: string | null, report: Report): string | undefined {
  if (raw === null) return undefined;
  if (REGION_ID.test(raw)) return raw;
  report('region', raw, 'expected a region id such as fra1 (lowercase letters, then digits); using no region');
  return undefined;
}

function readPrefix(param: string, raw: string | null, fallback: string, report: Report): string {
  if (raw === null) return fallback;
  if (raw.startsWith('/')) return raw;
  report(param, raw, `expected a path starting with "/"; using "${fallback}"`);
  return fallback;
}

function readInclude(raw: string | null, report: Report): string[] {
  if (raw === null) return ['/'];
  const prefixes = raw.split(',').map((prefix) => prefix.trim());
  if (prefixes.length > 0 && prefixes.every((prefix) => prefix.startsWith('/'))) return prefixes;
  report('include', raw, 'expected a comma list of paths starting with "/"; handling every path');
  return ['/'];
}

function readOrigins(raw: string | null, report: Report): string[] {
  if (raw === null || raw === '') return [];
  const origins: string[] = [];
  for (const item of raw.split(',')) {
    let origin: string | undefined;
    try {
      origin = new URL(item.trim()).origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined || origin === 'null') {
      report('crossOrigin', raw, 'expected a comma list of origins such as https://api.example.com; handling none');
      return [];
    }
    origins.push(origin);
  }
  return origins;
}

function readBudget(raw: string | null, report: Report): number | undefined {
  if (raw === null) return undefined;
  const bytes = Number(raw);
  if (/^\d+$/.test(raw) && Number.isSafeInteger(bytes) && bytes > 0) return bytes;
  report('budget', raw, 'expected a positive whole number of bytes; using the default budget');
  return undefined;
}

export const DEFAULT_HOT_BYTES = 4 * 1024 * 1024;

function readHot(raw: string | null, report: Report): number {
  if (raw === null) return DEFAULT_HOT_BYTES;
  const bytes = Number(raw);
  if (/^\d+$/.test(raw) && Number.isSafeInteger(bytes)) return bytes;
  report('hot', raw, `expected a whole number of bytes (0: off); using ${DEFAULT_HOT_BYTES}`);
  return DEFAULT_HOT_BYTES;
}

function readTimeout(raw: string | null, report: Report): number {
  if (raw === null) return 10_000;
  const ms = Number(raw);
  if (/^\d+$/.test(raw) && Number.isSafeInteger(ms) && ms > 0) return ms;
  report('upstreamTimeoutMs', raw, 'expected a positive whole number of milliseconds; using 10000');
  return 10_000;
}

/** Whether the layers handle this same-origin path (R48 static files included; the worker's own script never). */
export function handlesPath(config: WorkerConfig, pathname: string): boolean {
  if (pathname === config.scriptPath) return false;
  return config.include.some((prefix) => pathname.startsWith(prefix));
}

/**
 * Whether the layers handle a request at all: same-origin paths under `include`, and CORS-mode
 * requests to a configured cross origin (a no-cors response is opaque: no headers to obey, and it
 * costs ~7 MB of quota padding, user-needs A6 — those always pass through).
 */
export function handlesRequest(config: WorkerConfig, ownOrigin: string, url: URL, mode: RequestMode): boolean {
  if (url.origin === ownOrigin) return handlesPath(config, url.pathname);
  return mode === 'cors' && config.crossOrigins.includes(url.origin);
}

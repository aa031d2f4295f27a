import { readFileSync } from 'node:fs';
import { TierCacheError } from '../../sdk/errors.ts';
import type { RouteHeaderRuleConfig } from '../../sdk/protocol.ts';
import { compileRouteRules, parseCacheControl, routeHeadersFor } from '../../sw/policy/index.ts';

/**
 * The `headers` rules of a project's vercel.json (R5), checked at config time so that nothing about
 * them can break the site at run time:
 * - a missing file means no rules;
 * - a malformed file (bad JSON, a rule without `source` or `headers`) throws TierCacheError
 *   `invalid-config` naming the file and the problem, which fails the dev server's start or the build;
 * - a well-formed rule this emulation cannot express (sw/policy/route-headers.ts says why) is reported
 *   once through `warn` and left out.
 */
export function readVercelHeaderRules(file: string, warn: (message: string) => void): RouteHeaderRuleConfig[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw bad(file, `cannot be read (${String(error)})`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw bad(file, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(config)) throw bad(file, 'must hold a JSON object');
  if (config.headers === undefined) return [];
  if (!Array.isArray(config.headers)) throw bad(file, '"headers" must be an array');
  const rules = config.headers.map((rule, i) => checkRule(file, rule, i));
  const { skipped } = compileRouteRules(rules);
  for (const rule of skipped) warn(`tiercache: ${file} headers[${rule.index}] (source ${JSON.stringify(rule.source)}) is skipped: ${rule.reason}.`);
  return rules.filter((_, index) => !skipped.some((rule) => rule.index === index));
}

/**
 * Warnings for rules that would let the worker script itself be cached long-term: a browser or CDN
 * keeping an old sw.js means a new deployment's worker never lands (integration.md, need 8).
 */
export function workerCachingWarnings(rules: readonly RouteHeaderRuleConfig[], workerPath: string): string[] {
  const headers = routeHeadersFor(compileRouteRules(rules), { path: workerPath, query: '', host: '', headers: {} });
  const warnings: string[] = [];
  for (const name of ['cache-control', 'cdn-cache-control', 'vercel-cdn-cache-control']) {
    const value = headers[name];
    if (value === undefined) continue;
    const { directives } = parseCacheControl(value);
    if (directives.immutable || (directives.maxAge ?? 0) > 0 || (directives.sMaxage ?? 0) > 0) {
      warnings.push(`tiercache: vercel.json gives the worker script ${workerPath} "${name}: ${value}"; a cached worker script keeps old deployments' workers alive. Serve it with "Cache-Control: no-cache" (or max-age=0).`);
    }
  }
  return warnings;
}

function checkRule(file: string, rule: unknown, i: number): RouteHeaderRuleConfig {
  const at = `headers[${i}]`;
  if (!isObject(rule)) throw bad(file, `${at} must be an object`);
  if (typeof rule.source !== 'string') throw bad(file, `${at}.source must be a string`);
  if (!Array.isArray(rule.headers) || rule.headers.length === 0) throw bad(file, `${at}.headers must be a non-empty array`);
  rule.headers.forEach((header, j) => {
    if (!isObject(header) || typeof header.key !== 'string' || typeof header.value !== 'string') {
      throw bad(file, `${at}.headers[${j}] needs "key" and "value" strings`);
    }
  });
  for (const list of ['has', 'missing'] as const) {
    const conditions = rule[list];
    if (conditions === undefined) continue;
    if (!Array.isArray(conditions)) throw bad(file, `${at}.${list} must be an array`);
    conditions.forEach((condition, j) => {
      if (!isObject(condition) || typeof condition.type !== 'string') throw bad(file, `${at}.${list}[${j}] needs a "type"`);
      for (const field of ['key', 'value'] as const) {
        if (condition[field] !== undefined && typeof condition[field] !== 'string') throw bad(file, `${at}.${list}[${j}].${field} must be a string`);
      }
    });
  }
  return rule as unknown as RouteHeaderRuleConfig;
}

function bad(file: string, problem: string): TierCacheError {
  return new TierCacheError('invalid-config', `${file} ${problem}.`, { file });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { LayerPolicy } from './layer-policy.ts';
import { parseUrl } from './url.ts';

/**
 * R48: a request is for a static file when its path starts with one of the configured
 * `staticPathPrefixes`. Static files are always cached at the edge for the deployment's lifetime and
 * their query string is ignored in the edge key.
 */
export function isStaticRequest(policy: LayerPolicy, url: string): boolean {
  const prefixes = policy.flags.staticPathPrefixes;
  if (prefixes.length === 0) return false;
  const path = parseUrl(url)?.path;
  return path !== undefined && prefixes.some((p) => p.length > 0 && path.startsWith(p));
}

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Where a Next.js build's facts come from: the deployment id (R50) and the static files (R48). */
export interface NextBuildSource {
  /** The app's root (where `next build` / `next start` run). */
  root: string;
  /** next.config `distDir`, relative to the root (default `.next`). */
  distDir: string;
  /** next.config `basePath` ('' or `/docs`): every URL of the app starts with it. */
  basePath: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The deployment id, most specific first: Vercel's own id at run time, the id Next's skew protection
 * uses (`NEXT_DEPLOYMENT_ID`), else the build's `BUILD_ID`, which `next build` writes anew every time.
 * Throws when none exists (`next start` without a build cannot happen; a bad `distDir` can).
 */
export function deploymentId(source: NextBuildSource): string {
  const fromEnv = source.env.VERCEL_DEPLOYMENT_ID || source.env.NEXT_DEPLOYMENT_ID;
  if (fromEnv) return fromEnv;
  return readFileSync(join(source.root, source.distDir, 'BUILD_ID'), 'utf8').trim();
}

/**
 * R48: the files Vercel serves as static for a Next app: the build's hashed output (`.next/static`,
 * served at `/_next/static/`) and the `public/` folder (served at the root). Pages, prerendered or
 * not, are not static files: they carry their own Cache-Control (ISR, `s-maxage`).
 */
export function staticFiles(source: NextBuildSource): string[] {
  return [
    ...filesUnder(join(source.root, source.distDir, 'static'), `${source.basePath}/_next/static/`),
    ...filesUnder(join(source.root, 'public'), `${source.basePath}/`),
  ].sort();
}

function filesUnder(folder: string, urlPrefix: string): string[] {
  let entries;
  try {
    entries = readdirSync(folder, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => urlPrefix + relative(folder, join(entry.parentPath, entry.name)).split(sep).map(encodeURIComponent).join('/'));
}

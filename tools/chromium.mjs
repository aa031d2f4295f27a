// Finds a Chromium for browser tests, the e2e suite and the benchmarks.
// Order: $CHROMIUM_PATH, Debian's /usr/bin/chromium, Playwright's own downloaded browser; otherwise a
// clear error telling how to install one (no browser can be downloaded by the test run itself).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright';

/** Flags that keep Chromium quiet on a machine without outside network (toolchain guide §2). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @returns {string} path of a Chromium executable */
export function chromiumExecutable() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // Playwright has no browser of its own here; that is fine when one of the others exists.
  }
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error(
    'No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install -y chromium`), ' +
      'or set CHROMIUM_PATH to a Chromium/Chrome executable, or run `npx playwright install chromium` where downloads are allowed.',
  );
}

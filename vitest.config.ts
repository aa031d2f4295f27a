import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { originPlugin } from './demo/origin/origin-plugin.ts';
import { chromiumArgs, chromiumExecutable } from './tools/chromium.mjs';
import { serveBuiltSW } from './tools/serve-built-sw.ts';

// The browser project's settings, shared by the long fuzz run (`npm run fuzz`, tools/fuzz.mjs), which
// exists only when FUZZ_SEQUENCES is set, so `npm test` never runs it.
const browserProject = {
  // The built worker at /sw.js (any query) and the scripted local origin under /__origin/.
  plugins: [serveBuiltSW('/sw.js'), originPlugin()],
  // Pre-bundle browser deps at start: a mid-run optimisation reloads the page (toolchain §4).
  optimizeDeps: { include: ['idb', 'idb-keyval', 'fast-check'] },
};
const browserTest = {
  // Every file registers its worker at scope `/` of the one test origin: files running side by
  // side would replace each other's worker, so they run one after another on any machine.
  fileParallelism: false,
  browser: {
    enabled: true,
    headless: true,
    screenshotFailures: false,
    provider: playwright({
      launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs },
    }),
    instances: [{ browser: 'chromium' as const }],
  },
};
const fuzzSequences = Number(process.env.FUZZ_SEQUENCES ?? 0);

export default defineConfig({
  test: {
    reporters: ['default', './tools/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'node', environment: 'node', include: ['test/node/**/*.test.ts'] },
      },
      {
        extends: true as const,
        ...browserProject,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 30_000,
          // One retry for real-browser tests on a loaded 2-core machine; a retried test still fails if it
          // fails twice.
          retry: 1,
          ...browserTest,
        },
      },
      ...(fuzzSequences > 0
        ? [{
          extends: true as const,
          ...browserProject,
          test: { name: 'fuzz', include: ['test/browser/**/*.fuzz.ts'], provide: { fuzzSequences }, ...browserTest },
        }]
        : []),
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          // Removes the tarball and the app installed from it that the package tests share (support/packed-app.ts).
          globalSetup: ['test/e2e/support/cleanup-packed.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // As in the browser project: one retry on a loaded 2-core machine. Seen once under heavy load:
          // the demo's tags preset answering STALE after dangerouslyDeleteByTag (see README, Status).
          retry: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});

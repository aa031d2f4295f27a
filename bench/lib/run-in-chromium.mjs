// Runs one suite page in a Chromium that no DevTools client is attached to.
//
// Why not a Playwright page: Playwright attaches over the DevTools protocol to every page and worker of
// the browser it launches (popups opened by window.open included) and enables network reporting there,
// which adds ~1–2 ms to every fetch (performance.md) and would blur the HTTP rows. So the measuring pages
// run in Chromium started directly with the URL on its command line: the same executable and flags as
// Playwright uses here (tools/chromium.mjs), --headless, a fresh profile, and no debugging port or pipe.
// The page posts its rounds to the local server, which hands them back here.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs, chromiumExecutable } from '../../tools/chromium.mjs';
import { cdpPipe } from './cdp-pipe.mjs';

const EXTRA_ARGS = [
  '--headless',
  // The propagation suite opens a second tab with window.open.
  '--disable-popup-blocking',
  // Keep timers and the second tab at full speed although nothing is on screen.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

const leftovers = new Set();

/** Removes a profile; Chromium's helper processes may still be writing into it, so failures are kept for later. */
function removeProfile(profile) {
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    leftovers.delete(profile);
  } catch {
    leftovers.add(profile);
  }
}

/** Second attempt at the profiles that could not be removed right after their Chromium exited. */
export async function removeLeftoverProfiles() {
  if (!leftovers.size) return;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const profile of [...leftovers]) removeProfile(profile);
}

/**
 * @param {{ url: string, router: { handler: ((msg: any) => void) | null, stopWorkers?: (() => Promise<void>) | null }, onMessage: (msg: any) => void, timeoutMs: number, devtools?: boolean }} options
 *   `devtools`: open the DevTools protocol over a pipe (nothing enabled) so `router.stopWorkers` can stop
 *   every Service Worker (the cold-start suite); off for every other suite
 * @returns {Promise<void>} resolves when the page posts `{ type: 'done' }`; rejects on `{ type: 'error' }` or timeout
 */
export async function runInChromium({ url, router, onMessage, timeoutMs, devtools = false }) {
  const profile = mkdtempSync(join(tmpdir(), 'tiercache-bench-'));
  const pipeArgs = devtools ? ['--remote-debugging-pipe'] : [];
  const child = spawn(chromiumExecutable(), [...chromiumArgs, ...EXTRA_ARGS, ...pipeArgs, `--user-data-dir=${profile}`, url], {
    stdio: devtools ? ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'ignore', 'pipe'],
  });
  if (devtools) {
    const cdp = cdpPipe(child.stdio[3], child.stdio[4]);
    router.stopWorkers = () => cdp.stopAllWorkers();
    router.workerMemory = (match, gc) => cdp.workerMemory(match, gc);
    router.workerBusy = (match, op) => cdp.workerBusy(match, op);
  }
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${url}`)), timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Chromium exited early (code ${code}): ${url}\n${stderr}`));
      });
      router.handler = (msg) => {
        if (msg.type === 'error') {
          clearTimeout(timer);
          reject(new Error(`page error in ${url}: ${msg.message}`));
        } else if (msg.type === 'done') {
          clearTimeout(timer);
          resolve(undefined);
        } else {
          onMessage(msg);
        }
      };
    });
  } finally {
    router.handler = null;
    router.stopWorkers = null;
    router.workerMemory = null;
    router.workerBusy = null;
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killTimer);
    removeProfile(profile);
  }
}

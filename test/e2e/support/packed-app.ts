/**
 * What users get: the repository packed with `npm pack` (which runs `prepack`, the package build) and
 * installed from that tarball into copies of the example apps in temporary folders, so nothing
 * resolves back to this repository. Both are made once per `vitest run`: the e2e files run one after
 * another in child processes of the same vitest process, so they share folders named after it, and
 * its global teardown (cleanup-packed.ts) removes them.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';

export const REPO = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

/** The folders of one vitest run (its pid), removed by its global teardown. */
export function runFolder(kind: 'pack' | 'vite-app' | 'next-app', runPid = process.ppid): string {
  return join(tmpdir(), `tiercache-${kind}-${runPid}`);
}

/** An example app (examples/<name>) installed from the packed tarball, once per vitest run. */
export async function installedExample(name: 'vite-app' | 'next-app' = 'vite-app'): Promise<string> {
  const app = runFolder(name);
  const done = join(app, '.installed');
  if (existsSync(done) && Date.now() - statSync(done).mtimeMs < 30 * 60_000) return app;
  rmSync(app, { recursive: true, force: true });
  await installApp(await packedTarball(), join(REPO, 'examples', name), app);
  writeFileSync(done, '');
  return app;
}

/** The packed tarball (built once per vitest run). */
export async function packedTarball(): Promise<string> {
  const dir = runFolder('pack');
  const done = join(dir, 'done');
  // Reused only within one run (a recycled pid from an old run would find an old, stale tarball).
  if (existsSync(done) && Date.now() - statSync(done).mtimeMs < 30 * 60_000) return readFileSync(done, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { stdout } = await run('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: REPO, env: cleanEnv(), maxBuffer: 16 * 2 ** 20 });
  // prepack's build output comes first on stdout; npm's JSON report is the array opening on a line of its own.
  const report = stdout.slice(stdout.search(/^\[\s*$/m));
  const [{ filename }] = JSON.parse(report) as [{ filename: string }];
  const tarball = join(dir, filename);
  writeFileSync(done, tarball);
  return tarball;
}

/**
 * An app folder `into` holding a copy of `from` (without node_modules, dist, tarballs) whose
 * `tiercache` dependency points at the tarball, installed with `npm install` (from the npm cache
 * when it can).
 */
async function installApp(tarball: string, from: string, into: string): Promise<void> {
  mkdirSync(into, { recursive: true });
  cpSync(from, into, { recursive: true, filter: (src) => !/[/\\](node_modules|dist|\.next)$/.test(src) && !src.endsWith('.tgz') });
  const manifestPath = join(into, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { dependencies?: Record<string, string> };
  manifest.dependencies = { ...manifest.dependencies, tiercache: `file:${tarball}` };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: into, env: cleanEnv(), maxBuffer: 16 * 2 ** 20 });
}

/** Every file under `dir` (absolute paths), for checks on what was installed. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** A port free right now on 127.0.0.1 (the server started next binds it with --strictPort). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs the app's own vite (`vite build`, `vite preview ...`) to completion. */
export async function vite(app: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), ...args], { cwd: app, env: cleanEnv(), maxBuffer: 16 * 2 ** 20 });
  return `${stdout}${stderr}`;
}

export interface RunningServer {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts the app's `vite` (dev) or `vite preview` on 127.0.0.1:port and waits until it answers. */
export async function startVite(app: string, mode: 'dev' | 'preview', port: number): Promise<RunningServer> {
  const args = [...(mode === 'preview' ? ['preview'] : []), '--host', '127.0.0.1', '--port', String(port), '--strictPort'];
  const child = spawn(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), ...args], { cwd: app, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite ${mode} exited: ${output}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error(`vite ${mode} did not answer at ${url}: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, output: () => output, stop: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  // As for `next start` (next-server.ts): a server whose shutdown waits on open connections is killed
  // after 5 s; stopping is not under test, and a hung stop would fail the suite's hook.
  const killed = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killed);
}

/** npm passes its own settings to scripts through npm_* variables; the child npm must not inherit them. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^npm_/i.test(name)) env[name] = value;
  // `npm run` puts node_modules/.bin first on PATH, and a devDependency (http-cache-tests) brings an
  // npm 6 binary there: the user's own npm is the one on the rest of the PATH.
  env.PATH = (process.env.PATH ?? '').split(delimiter).filter((dir) => !dir.includes(`node_modules${sep}.bin`)).join(delimiter);
  return env;
}

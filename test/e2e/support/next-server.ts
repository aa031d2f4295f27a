/**
 * Runs a Next.js app's own `next` (build, start, dev) the way a user does, on 127.0.0.1 at a free port.
 * Vitest runs with NODE_ENV=test; Next must pick its own (production for build/start, development
 * for dev), so the child gets the environment without it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface NextServer {
  /** Where to open the app: `http://127.0.0.1:PORT/` (start) or `http://localhost:PORT/` (dev). */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

function nextBin(app: string): string {
  return join(app, 'node_modules/next/dist/bin/next');
}

export function nextEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: '1', ...extra };
  for (const [name, value] of Object.entries(process.env)) {
    if (name !== 'NODE_ENV' && !/^npm_/i.test(name) && !(name in env)) env[name] = value;
  }
  return env;
}

export async function nextBuild(app: string): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, [nextBin(app), 'build'], { cwd: app, env: nextEnv(), maxBuffer: 16 * 2 ** 20 });
  return `${stdout}${stderr}`;
}

/**
 * `next start` or `next dev` (Turbopack), resolved once the server answers. Dev is opened on
 * `localhost`: Next's dev-origin check refuses its HMR socket to 127.0.0.1 and the page would never
 * hydrate (toolchain guide, "Next.js and Redis").
 */
export async function startNext(app: string, mode: 'start' | 'dev', port: number, env: Record<string, string> = {}): Promise<NextServer> {
  const child = spawn(process.execPath, [nextBin(app), mode, '-p', String(port), '-H', '127.0.0.1'], {
    cwd: app,
    env: nextEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://${mode === 'dev' ? 'localhost' : '127.0.0.1'}:${port}/`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next ${mode} exited: ${output}`);
    try {
      // The worker route and the home page: `next dev` compiles each on its first request.
      const responses = [await fetch(`http://127.0.0.1:${port}/sw.js`), await fetch(`http://127.0.0.1:${port}/`)];
      for (const response of responses) await response.arrayBuffer();
      if (responses.every((response) => response.ok)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error(`next ${mode} did not answer on port ${port}: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, output: () => output, stop: () => stop(child) };
}

/** Stops the server and anything it started (next dev runs its server in a child process). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(-child.pid, 'SIGTERM');
  // Next's graceful shutdown waits for open connections (a tab's feed stream, keep-alive sockets of a
  // browser still open); a full run once hung here past the hook's 2 minutes. Stopping is not under test.
  const killed = setTimeout(() => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // already gone
    }
  }, 5_000);
  await exited;
  clearTimeout(killed);
}

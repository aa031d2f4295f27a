import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createLogger, resolveConfig } from 'vite';
import { TierCacheError } from '../../../sdk/errors.ts';
import { tiercache, type TierCacheOptions } from '../../../integrations/vite/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Resolves a real Vite config in a project holding `vercelJson` (text) and returns the warnings logged. */
async function configure(options: TierCacheOptions, vercelJson?: string, command: 'build' | 'serve' = 'build'): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'tiercache-plugin-'));
  dirs.push(root);
  if (vercelJson !== undefined) writeFileSync(join(root, 'vercel.json'), vercelJson);
  const warnings: string[] = [];
  const logger = createLogger('silent');
  logger.warn = (message) => void warnings.push(message);
  await resolveConfig({ root, configFile: false, customLogger: logger, plugins: [tiercache(options)] }, command);
  return warnings;
}

function thrown(run: () => unknown): TierCacheError {
  try {
    run();
  } catch (error) {
    if (error instanceof TierCacheError) return error;
    throw error;
  }
  throw new Error('expected a TierCacheError');
}

describe('tiercache() options are checked at config time', () => {
  test('no options: the worker defaults', async () => {
    expect(tiercache().name).toBe('tiercache');
    expect(await configure({})).toEqual([]);
  });

  test.each([
    [{ layers: ['edge', 'browser'] }, 'layers'],
    [{ layers: [] }, 'layers'],
    [{ profile: 'fastly' }, 'profile'],
    [{ include: ['api/'] }, 'include'],
    [{ region: 'Frankfurt' }, 'region'],
    [{ budget: -1 }, 'budget'],
    [{ flags: { stripWhen: 'never' } }, 'stripWhen'],
    [{ filename: '../sw.js' }, 'filename'],
    [{ scope: 'app' }, 'scope'],
    [{ deployment: 'a b' }, 'deployment'],
    [{ vercelJson: 3 }, 'vercelJson'],
    [{ layer: ['edge'] }, 'layer'],
  ])('invalid %j → TierCacheError invalid-options naming %s', (options, name) => {
    const error = thrown(() => tiercache(options as TierCacheOptions));
    expect(error.code).toBe('invalid-options');
    expect(error.message).toContain(name);
  });
});

describe('vercel.json is read at config time', () => {
  test('a malformed vercel.json fails with the file path and the problem', async () => {
    const failure = async (text: string) => {
      const error = await configure({}, text).then(() => undefined, (e: unknown) => e);
      if (!(error instanceof TierCacheError)) throw new Error(`expected a TierCacheError, got ${String(error)}`);
      expect(error.code).toBe('invalid-config');
      return error.message;
    };
    expect(await failure('{ "headers": [ }')).toMatch(/\/vercel\.json is not valid JSON/);
    expect(await failure('{ "headers": [{ "source": "/a", "headers": [{ "key": "A" }] }] }')).toMatch(/\/vercel\.json headers\[0\]\.headers\[0\] needs "key" and "value"/);
    expect(await failure('{ "headers": { "source": "/a" } }')).toMatch(/"headers" must be an array/);
  });

  test('R5: a rule the emulation cannot express is reported once at config time and skipped', async () => {
    const warnings = await configure({}, JSON.stringify({
      headers: [
        { source: '/api/(.*)', headers: [{ key: 'X-A', value: '1' }], has: [{ type: 'cookie', key: 'session' }] },
        { source: '/api/(.*)', headers: [{ key: 'X-B', value: '1' }] },
      ],
    }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/headers\[0\].*skipped.*cookie/);
  });

  test('a rule that would let the worker script be cached long-term is warned about', async () => {
    const warnings = await configure({}, JSON.stringify({ headers: [{ source: '/(.*)', headers: [{ key: 'Cache-Control', value: 'public, max-age=31536000, immutable' }] }] }));
    expect(warnings.join('\n')).toMatch(/\/sw\.js.*cache-control: public, max-age=31536000, immutable/);
    expect(await configure({}, JSON.stringify({ headers: [{ source: '/assets/(.*)', headers: [{ key: 'Cache-Control', value: 'immutable' }] }] }))).toEqual([]);
  });

  test('a worker under the hashed-assets folder is warned about', async () => {
    expect((await configure({ filename: 'assets/sw.js' })).join('\n')).toMatch(/hashed-assets folder/);
  });
});

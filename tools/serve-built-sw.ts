import { build, type Plugin, type Rolldown } from 'vite';

/**
 * Serves the production worker build at `path` (any query string) from memory, so browser tests
 * register exactly the classic IIFE that ships, without a prior `npm run build` (toolchain guide §5,
 * recipe A). Built once per server start and reused: every test file registers the same artifact.
 */
export function serveBuiltSW(path = '/sw.js'): Plugin {
  let code: Promise<string> | undefined;
  const buildOnce = async (): Promise<string> => {
    const result = await build({
      configFile: 'vite.sw.config.ts',
      logLevel: 'warn',
      build: { write: false, sourcemap: 'inline', minify: false },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const entry = outputs.flatMap((o) => o.output).find((c) => c.type === 'chunk' && c.isEntry);
    if (!entry || entry.type !== 'chunk') throw new Error('worker build produced no entry chunk');
    return entry.code;
  };
  return {
    name: 'tiercache:serve-built-sw',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.method !== 'GET' || req.url?.split('?')[0] !== path) return next();
        code ??= buildOnce();
        code.then(
          (js) => {
            res.setHeader('Content-Type', 'text/javascript');
            res.setHeader('Cache-Control', 'no-store');
            res.end(js);
          },
          (error: unknown) => {
            code = undefined;
            next(error);
          },
        );
      });
    },
  };
}

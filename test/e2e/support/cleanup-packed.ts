import { rmSync } from 'node:fs';
import { runFolder } from './packed-app.ts';

/** Vitest global setup: after the run, remove the packed tarball and installed app it made (packed-app.ts). */
export default function setup(): () => void {
  return () => {
    for (const kind of ['pack', 'app'] as const) rmSync(runFolder(kind, process.pid), { recursive: true, force: true });
  };
}

/**
 * Jest global setup: build the package as `npm run build` does (the same tsconfig, the same asset
 * bundler), once per test run, so that tests of the shipped CLI, the shipped function bundles and
 * the package run today's code, never a stale `dist/`. The compiler runs in its own process while
 * the functions are bundled in this one.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { buildAssets } from '../../tools/build-assets';
import { buildTemplates } from '../../tools/build-templates';

const ROOT = path.join(__dirname, '..', '..');

/** The compiled files `dist/` must hold: one per TypeScript source of the library and the CLI. */
function missingOutputs(): string[] {
  return ['lib', 'core', 'cli'].flatMap((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => path.join(ROOT, 'dist', dir, f.replace(/\.ts$/, '.js')))
      .filter((out) => !existsSync(out)),
  );
}

/**
 * `tsc --build`: it skips what has not changed since the last build (its record is
 * dist/.tsbuildinfo), but cannot see an output deleted by hand, so then everything is rebuilt.
 */
async function compile(): Promise<void> {
  const tsc = (...extra: string[]) =>
    promisify(execFile)(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '--build', 'tsconfig.build.json', ...extra],
      { cwd: ROOT },
    ).catch((error: { stdout?: string; message: string }) => {
      throw new Error(`the build failed:\n${error.stdout || error.message}`);
    });
  await tsc();
  if (missingOutputs().length > 0) await tsc('--force');
}

export default async function build(): Promise<void> {
  await Promise.all([compile(), buildAssets()]);
  buildTemplates();
  // As `npm run build` does: the bin is run directly, by its shebang.
  chmodSync(path.join(ROOT, 'dist', 'cli', 'main.js'), 0o755);
}

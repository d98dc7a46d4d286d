/**
 * Jest global setup: compile the package as `npm run build` does, once per test run, so that tests of
 * the shipped CLI and package run today's code, never a stale `dist/`; and synthesize the app once
 * (Lambda code bundled), so the end-to-end tests share one cloud assembly instead of each making
 * its own (the workers inherit `SCIM_SYNTHESIZED_ASSEMBLY`).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import * as path from 'node:path';
import { synthesizeAssembly } from '../../tools/bundle';

export default function build(): void {
  const root = path.join(__dirname, '..', '..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  // As `npm run build` does: the bin is run directly, by its shebang.
  chmodSync(path.join(root, 'dist', 'cli', 'main.js'), 0o755);
  process.env.SCIM_SYNTHESIZED_ASSEMBLY = synthesizeAssembly();
}

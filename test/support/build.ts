/**
 * Jest global setup: compile the package as `npm run build` does, once per test run, so that tests of
 * the shipped CLI and package run today's code, never a stale `dist/`; and synthesize the app once
 * (Lambda code bundled), so the end-to-end tests share one cloud assembly instead of each making
 * its own (the workers inherit `SCIM_SYNTHESIZED_ASSEMBLY`). The compiler runs in its own process
 * while the app synthesizes in this one: the two overlap on two cores.
 */
import { execFile } from 'node:child_process';
import { chmodSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { synthesizeAssembly } from '../../tools/bundle';

export default async function build(): Promise<void> {
  const root = path.join(__dirname, '..', '..');
  const compiled = promisify(execFile)(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root },
  ).catch((error: { stdout?: string; message: string }) => {
    throw new Error(`npm run build failed:\n${error.stdout || error.message}`);
  });
  // Schema validation of this assembly is test/lib/deployability.test.ts's business (and CI's synth).
  const validation = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    process.env.SCIM_SYNTHESIZED_ASSEMBLY = synthesizeAssembly();
  } finally {
    if (validation === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = validation;
  }
  await compiled;
  // As `npm run build` does: the bin is run directly, by its shebang.
  chmodSync(path.join(root, 'dist', 'cli', 'main.js'), 0o755);
}

/**
 * Bundles each Lambda function once, when the package is built (`npm run build`), into
 * `dist/assets/<function>/index.js`: the construct loads that directory with `Code.fromAsset`, the
 * package ships it, and the tests run that very file. So the code a consumer deploys is, byte for
 * byte, the code that was tested, and a consumer's synth needs no esbuild (a development
 * dependency only) and no Docker.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { FUNCTION_NAMES, type FunctionName } from '../lib/assets';

const ROOT = path.join(__dirname, '..');

/**
 * How every function is bundled: minified CommonJS for the Node.js 24 runtime, the SDK clients
 * included (the code that runs is the code that was tested, at the versions in package-lock.json),
 * their ES-module builds first (esbuild can then drop what the functions never use).
 */
export const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  mainFields: ['module', 'main'],
  // Lambda hands the function its credentials in the environment: the SDK's default chain (SSO,
  // STS web identity, shared files, instance metadata; about 100 KB) is replaced by that one link.
  alias: { '@aws-sdk/credential-provider-node': path.join(ROOT, 'adapters', 'lambda-credentials.ts') },
  legalComments: 'none',
  logLevel: 'warning',
};

/** A function's handler source. */
export function entryOf(name: FunctionName): string {
  return path.join(ROOT, 'functions', name, 'handler.ts');
}

/**
 * Builds every function's bundle. A bundle is replaced only when it changed, and atomically (a
 * new file renamed over the old one): whoever reads it meanwhile (a test, a synth) sees the old
 * bundle or the new one, never a missing or half-written file.
 */
export async function buildAssets(outdir = path.join(ROOT, 'dist', 'assets')): Promise<void> {
  await Promise.all(
    FUNCTION_NAMES.map(async (name) => {
      const dir = path.join(outdir, name);
      const file = path.join(dir, 'index.js');
      const result = await build({
        ...BUNDLE_OPTIONS,
        entryPoints: [entryOf(name)],
        outfile: file,
        write: false,
      });
      const bundle = result.outputFiles[0]?.contents;
      if (!bundle) throw new Error(`esbuild produced no bundle for ${name}`);
      if (existsSync(file) && Buffer.from(bundle).equals(readFileSync(file))) return;
      mkdirSync(dir, { recursive: true });
      const staged = `${file}.${process.pid}.tmp`;
      writeFileSync(staged, bundle);
      renameSync(staged, file);
    }),
  );
}

if (require.main === module) {
  buildAssets().catch((error: Error) => {
    process.stderr.write(`building the function assets failed: ${error.message}\n`);
    process.exit(1);
  });
}

/**
 * The package's Lambda functions, prebuilt: `npm run build` bundles each one once into
 * `dist/assets/<function>/index.js` (tools/build-assets.ts) and the constructs load that directory
 * as it is. A consumer's synth bundles nothing, needs no esbuild and no Docker, and deploys the
 * very file the package's tests ran.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

export const FUNCTION_NAMES = ['monitor', 'slack', 'alarm-relay'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/**
 * Where a function's bundle is: beside the compiled library in the package (`dist/lib` ->
 * `dist/assets`), or under `dist/` in a source checkout (`lib` -> `dist/assets`).
 */
export function assetDirectory(name: FunctionName): string {
  const candidates = [
    path.join(__dirname, '..', 'assets', name),
    path.join(__dirname, '..', 'dist', 'assets', name),
  ];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'index.js')));
  if (!found) {
    throw new Error(
      `The ${name} function's bundle is missing (looked in ${candidates.join(' and ')}): run \`npm run build\`.`,
    );
  }
  return found;
}

/**
 * What every function of the package shares: the newest Node.js runtime on arm64, its prebuilt
 * bundle. Each construct adds its own memory, timeout, role and environment.
 */
export function functionBase(name: FunctionName) {
  return {
    code: lambda.Code.fromAsset(assetDirectory(name)),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
  } satisfies Partial<lambda.FunctionProps>;
}

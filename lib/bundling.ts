/** How the package's Lambda functions are found and bundled (locally with esbuild: no Docker). */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * A function's source: the TypeScript handler in a source checkout, or its compiled JavaScript
 * when the construct is used from the built package (`dist/`). esbuild bundles either.
 */
export function handlerEntry(name: 'monitor' | 'slack' | 'alarm-relay'): string {
  const base = path.join(__dirname, '..', 'lambda', name, 'handler');
  return existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.js`;
}

/**
 * The SDK clients are bundled rather than taken from the runtime, so the code that runs is the
 * code that was tested, at the versions in package-lock.json.
 */
export const BUNDLING: nodejs.BundlingOptions = {
  externalModules: [],
  // The SDK's ES-module builds first: esbuild can drop what the functions never use (the
  // CommonJS builds are bundled whole).
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: false,
  target: 'node24',
  logLevel: nodejs.LogLevel.WARNING,
};

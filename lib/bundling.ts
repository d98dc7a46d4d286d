/** How the package's Lambda functions are found and bundled (locally with esbuild: no Docker). */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * A function's source: the TypeScript handler in a source checkout, or its compiled JavaScript
 * when the construct is used from the built package (`dist/`). esbuild bundles either.
 */
export function handlerEntry(name: 'monitor' | 'slack' | 'alarm-relay'): string {
  const base = path.join(__dirname, '..', 'functions', name, 'handler');
  return existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.js`;
}

/** The Lambda-only credential provider (see adapters/lambda-credentials.ts), source or compiled. */
function lambdaCredentials(): string {
  const base = path.join(__dirname, '..', 'adapters', 'lambda-credentials');
  return existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.js`;
}

/**
 * The SDK clients are bundled rather than taken from the runtime, so the code that runs is the
 * code that was tested, at the versions in package-lock.json.
 */
export const BUNDLING: nodejs.BundlingOptions = {
  externalModules: [],
  // Lambda hands the function its credentials in the environment: the SDK's default chain (SSO,
  // STS web identity, shared files, instance metadata; about 100 KB) is replaced by that one link.
  esbuildArgs: { '--alias:@aws-sdk/credential-provider-node': lambdaCredentials() },
  // The SDK's ES-module builds first: esbuild can drop what the functions never use (the
  // CommonJS builds are bundled whole).
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: false,
  target: 'node24',
  logLevel: nodejs.LogLevel.WARNING,
};

/**
 * What every function of the package shares: the newest Node.js runtime on arm64, its handler
 * bundled as above. Each construct adds its own memory, timeout, role and environment.
 */
export function functionBase(name: Parameters<typeof handlerEntry>[0]) {
  return {
    entry: handlerEntry(name),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    bundling: BUNDLING,
  } satisfies Partial<nodejs.NodejsFunctionProps>;
}

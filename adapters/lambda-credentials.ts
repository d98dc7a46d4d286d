/**
 * In the Lambda bundle only, in place of the SDK's default credential chain: Lambda gives the
 * function's credentials in its environment, so the chain's other links (SSO, STS web identity,
 * shared files, instance metadata: about 100 KB) are never used there. lib/bundling.ts aliases
 * `@aws-sdk/credential-provider-node` to this file; the CLI keeps the whole chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (_init?: unknown) => fromEnv();

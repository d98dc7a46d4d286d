/**
 * `register --store-token`'s guards, all before the token is read: which KMS key will encrypt it
 * (never the AWS managed `aws/ssm` key unless the operator says so: its policy lets every principal
 * of the account that may read the parameter decrypt it, and a SCIM token can create users and
 * change group memberships), and where the SDK will actually send it (an endpoint override in the
 * environment or the profile is named).
 */
import type { DeploymentSettings } from '../core/contract';
import { UsageError } from './errors';

/** The key the token will be stored under: `--kms-key`, else the deployment's token key. */
export function storeTokenKey(
  opts: { readonly kmsKey?: string; readonly allowAwsManagedKey?: boolean },
  settings: DeploymentSettings | undefined,
): string | undefined {
  const key = opts.kmsKey?.trim() || settings?.tokenKeyArn;
  const awsManaged = key === undefined || /(^|[:/])alias\/aws\/ssm$/.test(key);
  if (awsManaged && !opts.allowAwsManagedKey) {
    throw new UsageError(
      `--store-token would encrypt the token with the AWS managed key aws/ssm, whose policy lets every principal of this account allowed to read the parameter decrypt it (read-only roles included), and a SCIM token can create users and change group memberships: deploy the monitor with verifyStoredTokens (it creates a key that decrypts only for whom IAM allows, output TokenKeyArn) or pass --kms-key <a customer-managed key>; --allow-aws-managed-key stores it under aws/ssm anyway. Nothing was read or registered.`,
    );
  }
  return awsManaged ? undefined : key;
}

/** The host SSM has in this region, in every partition (FIPS endpoints included). */
const AWS_SSM_HOST = /^ssm(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/**
 * Where the SDK would send an SSM request, resolved as it resolves it (`AWS_ENDPOINT_URL_SSM`,
 * `AWS_ENDPOINT_URL`, a profile's `endpoint_url`): undefined for AWS's own endpoint. Nothing is
 * sent: the request stops once its URL is built, before signing.
 */
export async function ssmEndpointOverride(): Promise<string | undefined> {
  const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
  const { CLIENT_CONFIG } = await import('../adapters/client-config');
  const client = new SSMClient(CLIENT_CONFIG);
  const stop = Symbol('endpoint resolved');
  let url: URL | undefined;
  client.middlewareStack.add(
    () => async (args) => {
      const r = args.request as { protocol: string; hostname: string; port?: number; path: string };
      url = new URL(`${r.protocol}//${r.hostname}${r.port ? `:${r.port}` : ''}${r.path}`);
      throw stop;
    },
    { step: 'build', name: 'resolveEndpointOnly' },
  );
  try {
    await client.send(new GetParameterCommand({ Name: '/endpoint-check' }));
  } catch (error) {
    if (error !== stop) throw error;
  } finally {
    client.destroy();
  }
  if (!url) return undefined;
  return url.protocol === 'https:' && AWS_SSM_HOST.test(url.hostname) ? undefined : url.origin;
}

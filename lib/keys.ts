/**
 * The customer-managed KMS keys' policies, beyond CDK's default (the account may administer and
 * use the key through IAM): grants only for AWS resources (AWS Control Tower CT.KMS.PR.3); for
 * the monitor's key, CloudWatch Logs may use it for this monitor's log groups only; the token key
 * decrypts only through SSM.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** Where this stack's monitor log groups are named, so the key policy can name them without a cycle. */
export function logGroupNamePrefix(scope: Construct): string {
  return `/scim-token-monitor/${Stack.of(scope).stackName}/`;
}

/**
 * `kms:ViaService` values for `service` in this stack's region, in every partition the project
 * supports: the commercial and GovCloud endpoints end in `amazonaws.com`, China's in
 * `amazonaws.com.cn`; both are listed, so a condition holds wherever the stack is deployed (only
 * one can ever match a real request).
 */
export function viaService(scope: Construct, service: string): string[] {
  const region = Stack.of(scope).region;
  return [`${service}.${region}.amazonaws.com`, `${service}.${region}.amazonaws.com.cn`];
}

/** A customer-managed key, rotation on, that grants only for AWS resources (CT.KMS.PR.3). */
function customerKey(scope: Construct, id: string, props: kms.KeyProps): kms.Key {
  const key = new kms.Key(scope, id, { ...props, enableKeyRotation: true });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'GrantsOnlyForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: {
        BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
      },
    }),
  );
  return key;
}

/** A new customer-managed key, rotation on, scheduled for deletion with the stack. */
export function monitorKey(scope: Construct, id: string, description: string): kms.Key {
  const key = customerKey(scope, id, {
    description,
    // The key protects messages in transit through SNS and the monitor's logs only: nothing it
    // encrypted outlives the stack, so it is scheduled for deletion with the stack.
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  const stack = Stack.of(scope);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchLogsForTheMonitorsLogGroups',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${logGroupNamePrefix(scope)}*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  return key;
}

/**
 * The key for tokens kept as SecureStrings (`register --store-token`): usable for decryption only
 * through SSM in this region, so it opens nothing but those parameters, and only for principals
 * IAM allows (the default aws/ssm key lets every principal of the account decrypt through SSM).
 * Retained with the stack: the parameters it encrypts are the operator's and outlive the stack.
 */
export function tokenKey(scope: Construct, id: string): kms.Key {
  const key = customerKey(scope, id, {
    description: 'Encrypts the SCIM tokens the monitor probes (SSM SecureStrings)',
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DecryptOnlyThroughSsm',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Decrypt', 'kms:ReEncrypt*'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'kms:ViaService': viaService(scope, 'ssm') } },
    }),
  );
  return key;
}

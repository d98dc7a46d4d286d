/**
 * What the monitor may decrypt: exactly the SecureStrings opted in to the daily probe (none by
 * default), and nothing else, even under a key whose policy lets every principal of the account
 * decrypt through SSM (the AWS managed `aws/ssm` key does).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tokenKey, viaService } from '../keys';
import { nagArnHead } from '../nag';

export interface TokenProbeProps {
  /** The monitor function's role. */
  readonly role: iam.Role;
  /** The registry prefix, with a trailing slash. */
  readonly parameterPrefix: string;
  /** Names (after the prefix) of the SecureString tokens to probe; none: nothing is decryptable. */
  readonly tokenNames: readonly string[];
}

/**
 * GetParameter on those parameters, and kms:Decrypt only through SSM and only for those
 * parameters (SSM puts the parameter ARN in the encryption context). The key is whichever
 * encrypts them (by default the AWS managed aws/ssm key, whose ID is not known here): hence
 * "key/*", fenced by the conditions. An explicit Deny closes what an Allow cannot: the aws/ssm
 * key policy itself lets every principal of the account decrypt through SSM, so without it the
 * role could read every stored token with `GetParametersByPath` and decryption on.
 */
export class TokenProbe extends Construct {
  /** The ARNs of the probed parameters. */
  public readonly parameterArns: readonly string[];
  /** The key `register --store-token` encrypts probed tokens with (only when tokens are probed). */
  public readonly tokenKey?: kms.Key;

  constructor(scope: Construct, id: string, props: TokenProbeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const arns = props.tokenNames.map((name) =>
      stack.formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: `${props.parameterPrefix.slice(1)}${name}`,
      }),
    );
    this.parameterArns = arns;
    props.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptNothingElseThroughSsm',
        effect: iam.Effect.DENY,
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          // Every region's SSM, in every partition (China's endpoints end in amazonaws.com.cn).
          StringLike: { 'kms:ViaService': ['ssm.*.amazonaws.com', 'ssm.*.amazonaws.com.cn'] },
          ...(arns.length > 0 ? { StringNotEquals: { 'kms:EncryptionContext:PARAMETER_ARN': arns } } : {}),
        },
      }),
    );
    if (arns.length === 0) return;
    this.tokenKey = tokenKey(this, 'TokenKey');
    props.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadStoredTokensToProbe',
        actions: ['ssm:GetParameter'],
        resources: arns,
      }),
    );
    props.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptOnlyProbedTokens',
        actions: ['kms:Decrypt'],
        resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
        conditions: {
          StringEquals: {
            'kms:ViaService': viaService(this, 'ssm'),
            'kms:EncryptionContext:PARAMETER_ARN': arns,
          },
        },
      }),
    );
    Validations.of(props.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArnHead(this, 'kms')}:key/*]`,
      reason:
        'The key of an SSM SecureString is not known at deploy time; decrypt is limited to SSM and to the opted-in parameters by condition.',
    });
  }
}

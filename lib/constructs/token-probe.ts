/**
 * The opt-in probe's permissions: the monitor may read and decrypt exactly the opted-in
 * SecureStrings, and nothing else under the registry.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { nagArnHead } from '../nag';

export interface TokenProbeProps {
  /** The monitor function's role. */
  readonly role: iam.Role;
  /** The registry prefix, with a trailing slash. */
  readonly parameterPrefix: string;
  /** Names (after the prefix) of the SecureString tokens to probe. */
  readonly tokenNames: readonly string[];
}

/**
 * GetParameter on those parameters, and kms:Decrypt only through SSM and only for those
 * parameters (SSM puts the parameter ARN in the encryption context). The key is whichever
 * encrypts them (by default the AWS managed aws/ssm key, whose ID is not known here): hence
 * "key/*", fenced by the conditions.
 */
export class TokenProbe extends Construct {
  /** The ARNs of the probed parameters. */
  public readonly parameterArns: readonly string[];

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
          StringEquals: { 'kms:ViaService': `ssm.${stack.region}.amazonaws.com` },
          'ForAnyValue:StringEquals': { 'kms:EncryptionContext:PARAMETER_ARN': arns },
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

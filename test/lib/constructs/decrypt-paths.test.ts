/**
 * What the monitor's role can decrypt, evaluated the way AWS does (identity policy, key policy,
 * explicit Deny, conditions) by @cloud-copilot/iam-simulate over the synthesized role policy.
 * The threat: the AWS managed `aws/ssm` key lets every principal of the account decrypt through
 * SSM, so an Allow scoped by condition restricts nothing; only an explicit Deny does.
 */
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

// The unchecked entry point loads the resource policy without a name and then reads it: give it one.
jest.mock('@cloud-copilot/iam-policy', () => {
  const actual = jest.requireActual('@cloud-copilot/iam-policy');
  return {
    ...actual,
    loadPolicy: (p: unknown, m?: object) => actual.loadPolicy(p, m ?? { name: 'key-policy' }),
  };
});

import type { Template } from 'aws-cdk-lib/assertions';
import { resolveTemplateValue } from '../../support/resolve';
import { synthStack } from '../../support/stack';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ENDPOINT = `https://scim.${REGION}.amazonaws.com/tenant-123/scim/v2/`;
const param = (name: string) =>
  `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/scim-token-monitor/tokens/${name}`;

/** The AWS managed aws/ssm key's policy, as AWS documents it: every principal of the account may use it through SSM. */
const AWS_SSM_KEY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: [
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
        'kms:CreateGrant',
        'kms:DescribeKey',
      ],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': `ssm.${REGION}.amazonaws.com`, 'kms:CallerAccount': ACCOUNT },
      },
    },
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
      Resource: '*',
    },
  ],
};
/** A customer-managed key whose policy delegates to IAM (CDK's default): nothing beyond the role's policy. */
const IAM_DELEGATING_KEY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
  ],
};

/** A key of the stack, by logical ID. */
const keyArnOf = (logicalId: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${logicalId}`;

/** Template values as deployed here; only keys are compared by ARN, so any `GetAtt` is key-shaped. */
const resolve = (value: unknown) =>
  resolveTemplateValue(value, { account: ACCOUNT, region: REGION, getAtt: keyArnOf });

/** The policies of the monitor function's role (the role the Deny is on). */
function monitorRolePolicies(template: Template) {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{
    Properties: { PolicyDocument: { Statement: Array<{ Sid?: string }> }; Roles: Array<{ Ref: string }> };
  }>;
  const owner = policies.find((p) =>
    p.Properties.PolicyDocument.Statement.some((s) => s.Sid === 'DecryptNothingElseThroughSsm'),
  );
  if (!owner) throw new Error('no policy with DecryptNothingElseThroughSsm');
  const role = owner.Properties.Roles[0]?.Ref;
  return policies
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === role))
    .map((p, i) => ({ name: `policy${i}`, policy: resolve(p.Properties.PolicyDocument) }));
}

const SSM_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function decrypt(
  template: Template,
  keyPolicy: unknown,
  context: Record<string, string>,
  keyArn = SSM_KEY_ARN,
): string {
  // The unchecked entry point: the checked one drops `kms:EncryptionContext:<key>` context keys
  // (it only knows variable keys written with a slash), which would make every Deny "missing".
  const result = runUnsafeSimulation(
    {
      identityPolicies: monitorRolePolicies(template),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: keyPolicy,
      request: {
        action: 'kms:Decrypt',
        principal: `arn:aws:iam::${ACCOUNT}:role/ScimTokenMonitor-MonitorRole`,
        resource: { accountId: ACCOUNT, resource: keyArn },
        contextVariables: { 'kms:CallerAccount': ACCOUNT, ...context },
      },
    } as Parameters<typeof runUnsafeSimulation>[0],
    {},
  );
  return result;
}

const viaSsm = (name: string) => ({
  'kms:ViaService': `ssm.${REGION}.amazonaws.com`,
  'kms:EncryptionContext:PARAMETER_ARN': param(name),
});

describe('what the monitor role may decrypt', () => {
  const env = { account: ACCOUNT, region: REGION };

  it('by default: no stored token, even under the aws/ssm key that lets every principal of the account decrypt through SSM', () => {
    const { template } = synthStack({}, env);
    expect(decrypt(template, AWS_SSM_KEY, viaSsm('okta-prod'))).toBe('ExplicitlyDenied');
    expect(decrypt(template, IAM_DELEGATING_KEY, viaSsm('okta-prod'))).toBe('ExplicitlyDenied');
  });

  it('with the probe: exactly the opted-in tokens, under either key', () => {
    const { template } = synthStack({ verifyStoredTokens: 'vault/okta', scimEndpoint: ENDPOINT }, env);
    for (const key of [AWS_SSM_KEY, IAM_DELEGATING_KEY]) {
      expect(decrypt(template, key, viaSsm('vault/okta'))).toBe('Allowed');
      expect(decrypt(template, key, viaSsm('vault/entra'))).toBe('ExplicitlyDenied');
      expect(decrypt(template, key, { 'kms:ViaService': `ssm.${REGION}.amazonaws.com` })).toBe(
        'ExplicitlyDenied',
      );
    }
    // Not directly either: only through SSM.
    expect(
      decrypt(template, IAM_DELEGATING_KEY, {
        'kms:EncryptionContext:PARAMETER_ARN': param('vault/okta'),
      }),
    ).toBe('ImplicitlyDenied');
  });

  it("with the probe and the stack's token key: the probed token through SSM, and that key opens nothing else", () => {
    const { template } = synthStack({ verifyStoredTokens: 'vault/okta', scimEndpoint: ENDPOINT }, env);
    const [id, key] = Object.entries(template.findResources('AWS::KMS::Key')).find(([, k]) =>
      JSON.stringify(k).includes('DecryptOnlyThroughSsm'),
    ) as [string, { Properties: { KeyPolicy: unknown } }];
    const policy = resolve(key.Properties.KeyPolicy);
    expect(decrypt(template, policy, viaSsm('vault/okta'), keyArnOf(id))).toBe('Allowed');
    expect(decrypt(template, policy, viaSsm('vault/entra'), keyArnOf(id))).toBe('ExplicitlyDenied');
    // Not through another service, whatever an identity policy allows.
    expect(
      decrypt(template, policy, { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` }, keyArnOf(id)),
    ).toBe('ExplicitlyDenied');
  });

  it('still reads its own ledger through DynamoDB', () => {
    const { template } = synthStack({}, env);
    const [ledgerKey] = Object.keys(template.findResources('AWS::KMS::Key')).filter((id) =>
      JSON.stringify(template.findResources('AWS::DynamoDB::Table')).includes(`"${id}"`),
    );
    const ledger = keyArnOf(ledgerKey as string);
    const viaDynamoDb = { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` };
    expect(decrypt(template, IAM_DELEGATING_KEY, viaDynamoDb, ledger)).toBe('Allowed');
    expect(decrypt(template, IAM_DELEGATING_KEY, viaDynamoDb)).toBe('ImplicitlyDenied');
  });
});

describe("the monitor's own key", () => {
  it('opens only through SNS (publishing) and DynamoDB (the ledger), never directly', () => {
    const { template } = synthStack({}, { account: ACCOUNT, region: REGION });
    const [id] = Object.keys(template.findResources('AWS::KMS::Key'));
    const key = keyArnOf(id as string);
    expect(
      decrypt(template, IAM_DELEGATING_KEY, { 'kms:ViaService': `sns.${REGION}.amazonaws.com` }, key),
    ).toBe('Allowed');
    expect(
      decrypt(template, IAM_DELEGATING_KEY, { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` }, key),
    ).toBe('Allowed');
    expect(decrypt(template, IAM_DELEGATING_KEY, {}, key)).toBe('ImplicitlyDenied');
    expect(
      decrypt(template, IAM_DELEGATING_KEY, { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }, key),
    ).toBe('ImplicitlyDenied');
  });
});

describe('in a China region', () => {
  it("denies decryption through China's SSM endpoint too (amazonaws.com.cn)", () => {
    const cn = 'cn-north-1';
    const { template } = synthStack({}, { account: ACCOUNT, region: cn });
    // The aws/ssm key of a China region, whatever spelling its SSM endpoint has.
    for (const via of [`ssm.${cn}.amazonaws.com.cn`, `ssm.${cn}.amazonaws.com`]) {
      const awsSsmKey = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['kms:Decrypt'],
            Resource: '*',
            Condition: { StringEquals: { 'kms:ViaService': via, 'kms:CallerAccount': ACCOUNT } },
          },
        ],
      };
      expect(
        decrypt(template, awsSsmKey, {
          'kms:ViaService': via,
          'kms:EncryptionContext:PARAMETER_ARN': param('okta-prod'),
        }),
      ).toBe('ExplicitlyDenied');
    }
  });
});

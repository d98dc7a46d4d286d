/** TokenProbe: decrypt rights for exactly the opted-in stored tokens, as synthesized. */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { roleStatements, stackArn, synthStack } from '../../support/stack';

describe('the opt-in probe of stored tokens', () => {
  it('may decrypt exactly the opted-in parameters, through SSM only', () => {
    const { template, stack } = synthStack({
      verifyStoredTokens: 'vault/okta',
      scimEndpoint: 'https://scim.eu-west-1.amazonaws.com/tenant-123/scim/v2/',
    });
    const param = stackArn('ssm', 'parameter/scim-token-monitor/tokens/vault/okta');
    const statements = roleStatements(template);
    expect(statements).toContainEqual({
      Sid: 'ReadStoredTokensToProbe',
      Action: 'ssm:GetParameter',
      Effect: 'Allow',
      Resource: param,
    });
    expect(statements).toContainEqual({
      Sid: 'DecryptOnlyProbedTokens',
      Action: 'kms:Decrypt',
      Effect: 'Allow',
      Resource: expect.anything(),
      Condition: {
        StringEquals: {
          'kms:ViaService': ['.amazonaws.com', '.amazonaws.com.cn'].map((suffix) => ({
            'Fn::Join': ['', ['ssm.', { Ref: 'AWS::Region' }, suffix]],
          })),
          'kms:EncryptionContext:PARAMETER_ARN': [param],
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          VERIFY_TOKENS: 'vault/okta',
          SCIM_ENDPOINT: 'https://scim.eu-west-1.amazonaws.com/tenant-123/scim/v2/',
        }),
      },
    });
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    // A key of its own for the stored tokens: rotating, retained (the parameters outlive the
    // stack), decrypting only through SSM, named in an output for `register --store-token`.
    const keys = template.findResources('AWS::KMS::Key', {
      Properties: { Description: Match.stringLikeRegexp('SCIM tokens the monitor probes') },
    });
    expect(Object.values(keys)).toEqual([
      expect.objectContaining({
        DeletionPolicy: 'Retain',
        Properties: expect.objectContaining({
          EnableKeyRotation: true,
          KeyPolicy: expect.objectContaining({
            Statement: expect.arrayContaining([
              expect.objectContaining({
                Sid: 'DecryptOnlyThroughSsm',
                Effect: 'Deny',
                Action: ['kms:Decrypt', 'kms:ReEncrypt*'],
                Condition: {
                  StringNotEquals: {
                    'kms:ViaService': ['.amazonaws.com', '.amazonaws.com.cn'].map((suffix) => ({
                      'Fn::Join': ['', ['ssm.', { Ref: 'AWS::Region' }, suffix]],
                    })),
                  },
                },
              }),
            ]),
          }),
        }),
      }),
    ]);
    template.hasOutput('TokenKeyArn', { Value: { 'Fn::GetAtt': [Object.keys(keys)[0], 'Arn'] } });
  });

  it('grants no decrypt at all by default', () => {
    const allows = roleStatements(synthStack().template).filter((st) => st.Effect === 'Allow');
    expect(JSON.stringify(allows)).not.toMatch(/ssm:GetParameter"|kms:Decrypt",?[^\]]*ssm\./);
    expect(roleStatements(synthStack().template).some((s) => s.Sid === 'DecryptOnlyProbedTokens')).toBe(
      false,
    );
    // And no token key to pay for.
    expect(synthStack().template.findOutputs('TokenKeyArn')).toEqual({});
  });

  it.each([
    [{ verifyStoredTokens: 'vault/okta' }, 'verifyStoredTokens needs scimEndpoint'],
    [{ verifyStoredTokens: 'vault/okta', scimEndpoint: 'http://scim.example/t/' }, 'uses http, not https'],
    [
      {
        verifyStoredTokens: 'vault/okta',
        scimEndpoint: 'https://scim.us-east-1.amazonaws.com@evil.example/t/scim/v2/',
      },
      'has a user-info part',
    ],
    [
      { verifyStoredTokens: 'bad name', scimEndpoint: 'https://scim.example/t/' },
      'verifyStoredTokens: "bad name" is not a token name',
    ],
  ])('rejects %j', (context, message) => {
    expect(() => synthStack(context)).toThrow(message);
  });
});

describe("the probe's region", () => {
  it("warns at synth when the SCIM endpoint is not in the monitor's region (SCIM works only in the primary region)", () => {
    const { stack } = synthStack(
      {
        verifyStoredTokens: 'vault/okta',
        scimEndpoint: 'https://scim.us-east-1.amazonaws.com/tenant-123/scim/v2/',
      },
      { account: '123456789012', region: 'eu-west-1' },
    );
    const warnings = Annotations.fromStack(stack).findWarning(
      '*',
      Match.stringLikeRegexp('scimEndpoint is in us-east-1'),
    );
    expect(warnings).toHaveLength(1);
    const same = synthStack(
      {
        verifyStoredTokens: 'vault/okta',
        scimEndpoint: 'https://scim.eu-west-1.amazonaws.com/tenant-123/scim/v2/',
      },
      { account: '123456789012', region: 'eu-west-1' },
    );
    expect(
      Annotations.fromStack(same.stack).findWarning('*', Match.stringLikeRegexp('scimEndpoint is in')),
    ).toEqual([]);
  });
});

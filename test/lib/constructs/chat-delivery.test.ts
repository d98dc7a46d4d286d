/** ChatDelivery: Chatbot channels for Slack and Teams, and the Slack webhook forwarder, as synthesized. */
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { roleStatements, SLACK, stackArn, synthStack, TEAMS, WEBHOOK } from '../../support/stack';

describe('chat delivery', () => {
  it('creates no chat resources by default', () => {
    const { template } = synthStack();
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    template.resourceCountIs('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 0);
    expect(
      Object.keys(template.findResources('AWS::Lambda::Function')).filter((k) =>
        k.includes('SlackForwarder'),
      ),
    ).toEqual([]);
  });

  it('subscribes a Chatbot Slack channel that can only read notifications', () => {
    const { template } = synthStack(SLACK);
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T07EA123LEP',
      SlackChannelId: 'C0123456789',
      SnsTopicArns: [{ Ref: Match.stringLikeRegexp('AlertTopic') }],
      GuardrailPolicies: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSDenyAll']] },
      ],
      UserRoleRequired: false,
    });
    // The channel role trusts Chatbot and has no policy at all.
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'chatbot.amazonaws.com' } })],
      },
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
    const chatbotPolicies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('ChatbotRole'),
    );
    expect(chatbotPolicies).toEqual([]);
  });

  it('subscribes a Chatbot Microsoft Teams channel with the same role and guardrail', () => {
    const { template } = synthStack(TEAMS);
    template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      TeamId: TEAMS.teamsTeamId,
      TeamsChannelId: TEAMS.teamsChannelId,
      TeamsTenantId: TEAMS.teamsTenantId,
      IamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatbotRole'), 'Arn'] },
      SnsTopicArns: [{ Ref: Match.stringLikeRegexp('AlertTopic') }],
      GuardrailPolicies: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSDenyAll']] },
      ],
    });
  });

  it('adds a webhook forwarder that reads only its secret, never puts the URL in the template, and dead-letters failures', () => {
    const { template } = synthStack(WEBHOOK);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({ SLACK_WEBHOOK_SECRET_NAME: 'scim-monitor/slack-webhook' }),
      },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('SlackForwarder'), 'Arn'] },
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] },
      },
    });
    const secretStatements = roleStatements(template).filter((s) =>
      JSON.stringify(s.Action).includes('secretsmanager'),
    );
    expect(secretStatements).toEqual([
      expect.objectContaining({
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: stackArn('secretsmanager', 'secret:scim-monitor/slack-webhook-??????'),
      }),
    ]);
    expect(JSON.stringify(template.toJSON())).not.toContain('hooks.slack.com');
  });

  it('may decrypt a webhook secret under a customer-managed key: through Secrets Manager, for that secret only', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { template, stack } = synthStack({ ...WEBHOOK, slackWebhookSecretKeyArn: key });
    const decrypt = roleStatements(template).filter((s) => s.Sid === 'DecryptTheWebhookSecret');
    expect(decrypt).toEqual([
      {
        Sid: 'DecryptTheWebhookSecret',
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: key,
        Condition: {
          StringEquals: {
            'kms:ViaService': ['.amazonaws.com', '.amazonaws.com.cn'].map((suffix) => ({
              'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, suffix]],
            })),
          },
          StringLike: {
            'kms:EncryptionContext:SecretARN': stackArn(
              'secretsmanager',
              'secret:scim-monitor/slack-webhook-??????',
            ),
          },
        },
      },
    ]);
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    // Without the key, no KMS right at all: the AWS managed key needs none.
    expect(JSON.stringify(roleStatements(synthStack(WEBHOOK).template))).not.toContain(
      'DecryptTheWebhookSecret',
    );
    expect(() => synthStack({ slackWebhookSecretKeyArn: key })).toThrow(
      'slackWebhookSecretKeyArn needs slackWebhookSecretName',
    );
    expect(() => synthStack({ ...WEBHOOK, slackWebhookSecretKeyArn: 'alias/slack' })).toThrow(
      'slackWebhookSecretKeyArn: "alias/slack" is not a KMS key ARN',
    );
  });

  it('is cdk-nag clean with every chat option at once', () => {
    const { stack } = synthStack({ ...SLACK, ...TEAMS, ...WEBHOOK });
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });

  it.each([
    [{ slackWorkspaceId: 'T07EA123LEP' }, 'slackWorkspaceId and slackChannelId go together'],
    [
      { ...SLACK, slackWorkspaceId: 'my workspace' },
      'slackWorkspaceId "my workspace" is not a Slack workspace ID',
    ],
    [{ ...SLACK, slackChannelId: '#alerts' }, 'slackChannelId "#alerts" is not a Slack channel ID'],
    [{ teamsTeamId: TEAMS.teamsTeamId }, 'teamsTeamId, teamsChannelId and teamsTenantId go together'],
    [{ ...TEAMS, teamsTenantId: 'contoso' }, 'teamsTenantId "contoso" is not a GUID.'],
    [{ ...TEAMS, teamsTeamId: 'team' }, 'teamsTeamId "team" is not a GUID.'],
    [
      { slackWebhookSecretName: 'https://hooks.slack.com/services/x' },
      'is not a Secrets Manager secret name',
    ],
  ])('rejects %j', (context, message) => {
    expect(() => synthStack(context)).toThrow(message);
  });
});

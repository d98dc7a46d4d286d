import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { roleStatements, stackArn, synthStack } from '../support/stack';

const ssmArn = (path: string) => stackArn('ssm', `parameter${path}`);
/** The `kms:ViaService` values of a service in the stack's region, in both partitions' spellings. */
const viaService = (service: string) =>
  ['.amazonaws.com', '.amazonaws.com.cn'].map((suffix) => ({
    'Fn::Join': ['', [`${service}.`, { Ref: 'AWS::Region' }, suffix]],
  }));

describe('the default stack', () => {
  let template: Template;
  let stack: ReturnType<typeof synthStack>['stack'];
  beforeAll(() => {
    ({ template, stack } = synthStack({ alertEmails: 'oncall@example.com, platform@example.com' }));
  });

  it('runs the function daily at 08:00 UTC with retries', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
  });

  it('runs on the newest Node.js runtime, arm64, with its configuration in the environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 300,
      Environment: {
        Variables: Match.objectLike({
          PARAMETER_PREFIX: '/scim-token-monitor/tokens/',
          LEDGER_TABLE_NAME: { Ref: Match.stringLikeRegexp('LedgerTable') },
          THRESHOLDS_DAYS: '60,30,7',
          VALIDITY_DAYS: '365',
          EVENT_BUS_ARN: stackArn('events', 'event-bus/default'),
          ALERT_TOPIC_ARN: { Ref: Match.stringLikeRegexp('AlertTopic') },
          ACCOUNT_ID: { Ref: 'AWS::AccountId' },
          OBSERVE_PROVISIONING: 'true',
        }),
      },
    });
  });

  it('encrypts the topic with a rotating customer-managed key and refuses non-TLS publishes', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('TopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes each configured email address', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'platform@example.com',
    });
  });

  it('keeps logs a year, encrypted with the customer-managed key, and deletes them with the stack', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('TopicKey'), 'Arn'] },
        LogGroupName: Match.stringLikeRegexp('^/scim-token-monitor/ScimTokenMonitor/'),
      },
      DeletionPolicy: 'Delete',
    });
  });

  it('lets CloudWatch Logs use the key for these log groups only, and grants only for AWS resources', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'GrantsOnlyForAwsResources',
            Effect: 'Deny',
            Action: 'kms:CreateGrant',
            Condition: {
              BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
            },
          }),
          Match.objectLike({
            Sid: 'CloudWatchLogsForTheMonitorsLogGroups',
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': {
                  'Fn::Join': ['', Match.arrayWith([':log-group:/scim-token-monitor/ScimTokenMonitor/*'])],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('grants exactly the least privilege the function needs', () => {
    const topic = { Ref: expect.stringMatching(/AlertTopic/) };
    expect(roleStatements(template)).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/LogGroup/), 'Arn'] },
      },
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetterQueue/), 'Arn'] },
      },
      {
        Sid: 'ReadTokenRegistry',
        Action: 'ssm:GetParametersByPath',
        Effect: 'Allow',
        Resource: [ssmArn('/scim-token-monitor/tokens'), ssmArn('/scim-token-monitor/tokens/*')],
      },
      // The ledger: the four calls the monitor makes, on its table, and its key only through DynamoDB.
      {
        Action: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/LedgerTable/), 'Arn'] },
      },
      {
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Condition: { StringEquals: { 'kms:ViaService': viaService('dynamodb') } },
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/TopicKey/), 'Arn'] },
      },
      // The only "*"s: ListInstances and LookupEvents have no resource-level permissions.
      { Sid: 'ListIdentityCenterInstances', Action: 'sso:ListInstances', Effect: 'Allow', Resource: '*' },
      {
        Sid: 'ReadScimCallsFromEventHistory',
        Action: 'cloudtrail:LookupEvents',
        Effect: 'Allow',
        Resource: '*',
      },
      // The same key, for publishing: only through SNS.
      { Action: 'sns:Publish', Effect: 'Allow', Resource: topic },
      {
        Sid: 'UseTheAlertTopicKeyThroughSns',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: { StringEquals: { 'kms:ViaService': viaService('sns') } },
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/TopicKey/), 'Arn'] },
      },
      // Each scheduled run counts the topic's confirmed subscriptions, on this topic only.
      {
        Sid: 'CountAlertTopicSubscribers',
        Action: 'sns:GetTopicAttributes',
        Effect: 'Allow',
        Resource: topic,
      },
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: stackArn('events', 'event-bus/default') },
      // No stored token is decryptable, even under the aws/ssm key every principal may use through
      // SSM (test/lib/constructs/decrypt-paths.test.ts evaluates it).
      {
        Sid: 'DecryptNothingElseThroughSsm',
        Action: 'kms:Decrypt',
        Condition: { StringLike: { 'kms:ViaService': ['ssm.*.amazonaws.com', 'ssm.*.amazonaws.com.cn'] } },
        Effect: 'Deny',
        Resource: '*',
      },
    ]);
  });

  it('never lets the function decrypt SSM values or touch parameters outside its two paths', () => {
    const statements = roleStatements(template);
    const ssm = statements.filter((s) => String(s.Action).includes('ssm:'));
    expect(JSON.stringify(ssm)).not.toMatch(/kms:Decrypt|parameter\/\*|"ssm:\*"/);
    expect(template.findResources('AWS::IAM::ManagedPolicy')).toEqual({});
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('reserves no concurrency (new accounts could not deploy), retries failures and keeps what still fails in an encrypted queue', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      ReservedConcurrentExecutions: Match.absent(),
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
        }),
      ],
    });
    template.hasResource('AWS::SQS::Queue', {
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 },
      DeletionPolicy: 'Delete',
    });
  });

  it('admits no CloudWatch principal to the topic or its key: the alarms act through the relay', () => {
    const policies = JSON.stringify([
      template.findResources('AWS::SNS::TopicPolicy'),
      template.findResources('AWS::KMS::Key'),
    ]);
    expect(policies).not.toContain('cloudwatch.amazonaws.com');
  });

  it('routes AWS Health SCIM token expiry notices to the function', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.health'],
        'detail-type': ['AWS Health Event'],
        detail: { eventTypeCode: ['AWS_IAMIDENTITYCENTER_SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION'] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Function'), 'Arn'] } })],
    });
  });

  it('runs a check on deploy through the monitor itself (no provider function), again when its code changes', () => {
    template.resourceCountIs('Custom::ScimTokenMonitorDeployCheck', 1);
    template.hasResourceProperties('Custom::ScimTokenMonitorDeployCheck', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('MonitorFunction'), 'Arn'] },
      FunctionVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp('MonitorFunctionCurrentVersion'), 'Version'] },
    });
    // Every function the stack creates logs to a log group the stack owns (retention, key, removal).
    const groups = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Array<{
      Properties: { LoggingConfig?: { LogGroup?: { Ref?: string } } };
    }>;
    expect(functions.length).toBeGreaterThanOrEqual(2);
    expect(functions.map((f) => groups.includes(f.Properties.LoggingConfig?.LogGroup?.Ref ?? ''))).toEqual(
      functions.map(() => true),
    );
  });

  it('has a dashboard only when asked, graphing the tokens inside each threshold, and every token only with tokenMetrics', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(template.toJSON().Outputs).not.toHaveProperty('DashboardUrl');
    const dashboarded = synthStack({ dashboard: 'true' }).template;
    const body = (t: Template) => {
      const [dashboard] = Object.values(t.findResources('AWS::CloudWatch::Dashboard')) as Array<{
        Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } };
      }>;
      // References replaced by a placeholder.
      const text = dashboard?.Properties.DashboardBody['Fn::Join'][1]
        .map((p) => (typeof p === 'string' ? p : 'REF'))
        .join('');
      return JSON.parse(text ?? '{}') as { widgets: Array<{ properties: Record<string, unknown> }> };
    };
    const widgets = body(dashboarded).widgets;
    const buckets = widgets[0]?.properties as { metrics: unknown[][] };
    expect(buckets.metrics.map((m) => m[1])).toEqual([
      'TokensWithin60Days',
      'TokensWithin30Days',
      'TokensWithin7Days',
      'TokensExpired',
    ]);
    // No per-token graph, nor a probe line, where there is nothing to draw.
    expect(JSON.stringify(widgets)).not.toContain('SEARCH(');
    expect(JSON.stringify(widgets)).not.toContain('ProbesInconclusive');
    const perToken = body(synthStack({ tokenMetrics: 'true', dashboard: 'true' }).template).widgets[1]
      ?.properties as {
      metrics: Array<Array<{ expression: string }>>;
      annotations: { horizontal: Array<{ value: number }> };
    };
    expect(perToken.metrics[0]?.[0]?.expression).toBe(
      `SEARCH('{ScimTokenMonitor,FunctionName,TokenName,service} MetricName="DaysToExpiry" FunctionName="REF"', 'Minimum', 86400)`,
    );
    expect(perToken.annotations.horizontal.map((h) => h.value)).toEqual([60, 30, 7]);
    dashboarded.hasOutput('DashboardUrl', {});
  });

  it('outputs the topic ARN, the registry prefix, the function and its log group', () => {
    template.hasOutput('AlertTopicArn', { Value: { Ref: Match.stringLikeRegexp('AlertTopic') } });
    template.hasOutput('RegistryPrefix', { Value: '/scim-token-monitor/tokens/' });
    template.hasOutput('FunctionName', { Value: { Ref: Match.stringLikeRegexp('Function') } });
    template.hasOutput('LogGroupName', { Value: { Ref: Match.stringLikeRegexp('LogGroup') } });
  });

  it('passes the AWS Solutions checks (cdk-nag) with every accepted finding acknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations).toEqual([]);
  });

  it('would report a finding: the check is live, not vacuous', () => {
    const { stack: bad } = synthStack();
    new Topic(bad, 'UnencryptedTopic');
    const rules = new AwsSolutionsChecks().validateScope(bad).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining([expect.stringContaining('SNS3')]));
  });
});

describe('a configured stack', () => {
  it('honours every context key', () => {
    const { template } = synthStack({
      thresholds: '90, 14, 3',
      validityDays: '180',
      parameterPrefix: '/platform/scim',
      schedule: 'rate(12 hours)',
      eventBusName: 'alerts',
      environmentName: 'prod eu',
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(12 hours)' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PARAMETER_PREFIX: '/platform/scim/',
          ENVIRONMENT_NAME: 'prod eu',
          THRESHOLDS_DAYS: '90,14,3',
          VALIDITY_DAYS: '180',
          EVENT_BUS_ARN: stackArn('events', 'event-bus/alerts'),
        }),
      },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    expect(JSON.stringify(template.toJSON())).toContain(':event-bus/alerts');
  });

  it('takes lists from cdk.json as arrays too', () => {
    const { template } = synthStack({ alertEmails: ['a@example.com'], thresholds: [45, 10] });
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ THRESHOLDS_DAYS: '45,10' }) },
    });
  });

  it('is cdk-nag clean with a concrete account and region as well', () => {
    const { stack } = synthStack(
      { parameterPrefix: '/platform/scim/', eventBusName: 'alerts' },
      { account: '123456789012', region: 'eu-west-1' },
    );
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });
});

describe('invalid configuration fails synth with a clear message', () => {
  it.each([
    [{ alertEmails: 'oncall@example' }, 'alertEmails: "oncall@example" is not an email address.'],
    [{ alertEmails: 'a@example.com;b@example.com' }, 'is not an email address'],
    [{ thresholds: '60,thirty' }, 'thresholds: "thirty" is not a number'],
    [{ thresholds: '60,0' }, 'thresholdsDays: 0 is not a positive whole number of days.'],
    [{ thresholds: '60,7.5' }, 'thresholdsDays: 7.5 is not a positive whole number of days.'],
    [{ thresholds: '60,60' }, 'thresholdsDays must not repeat a threshold.'],
    [{ thresholds: '400' }, 'thresholdsDays: 400 days is not below the token validity of 365 days.'],
    [{ validityDays: 'a year' }, 'validityDays: "a year" is not a number.'],
    [
      { validityDays: '0' },
      'validityDays must be a whole number of days from 1 to 366 (IAM Identity Center issues SCIM tokens for one year), got 0.',
    ],
    [{ parameterPrefix: 'scim/tokens' }, 'parameterPrefix must start with "/", got "scim/tokens".'],
    [{ parameterPrefix: '/aws/tokens' }, 'parameterPrefix must not start with /aws or /ssm'],
    [{ parameterPrefix: '/scim tokens/' }, 'parameterPrefix must be an SSM path'],
    [
      { statePrefix: '/scim-token-monitor/state/' },
      'context key "statePrefix" was removed: alert state lives in the DynamoDB ledger',
    ],
    [{ schedule: 'every day' }, 'schedule: "every day" must be an EventBridge expression'],
    [{ environmentName: '<b>prod</b>' }, 'environmentName "<b>prod</b>" must be 1 to 32 letters'],
  ])('%j', (context, message) => {
    expect(() => synthStack(context)).toThrow(message);
  });

  it('reports every problem at once', () => {
    expect(() => synthStack({ alertEmails: 'x', thresholds: '0', parameterPrefix: 'p' })).toThrow(
      /alertEmails[\s\S]*thresholdsDays[\s\S]*parameterPrefix/,
    );
  });
});

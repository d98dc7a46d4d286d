/** The construct on its own, inside a stack of the user's: its options and its validation. */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  ScimTokenExpiryMonitor,
  type ScimTokenExpiryMonitorProps,
} from '../../lib/scim-token-expiry-monitor';

describe('the construct inside another stack', () => {
  function build(props: ScimTokenExpiryMonitorProps) {
    const stack = new Stack(new App(), 'Host');
    const monitor = new ScimTokenExpiryMonitor(stack, 'Monitor', props);
    return { stack, monitor, template: Template.fromStack(stack) };
  }

  it('can skip the reserved concurrency, the check on deploy and the per-token metrics', () => {
    const { template, stack } = build({
      reserveConcurrency: false,
      runOnDeploy: false,
      tokenMetrics: false,
      maxHoursWithoutSuccess: 50,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: Match.absent(),
      Environment: { Variables: Match.objectLike({ TOKEN_METRICS: 'false' }) },
    });
    template.resourceCountIs('Custom::ScimTokenMonitorDeployCheck', 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RunSucceeded',
      EvaluationPeriods: 50,
    });
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });

  it.each([
    [
      { maxHoursWithoutSuccess: 0 },
      'maxHoursWithoutSuccess must be a whole number of hours from 1 to 168, got 0.',
    ],
    [
      { maxHoursWithoutSuccess: 169 },
      'maxHoursWithoutSuccess must be a whole number of hours from 1 to 168, got 169.',
    ],
    [{ thresholdsDays: [] }, 'thresholdsDays must list at least one threshold'],
    [
      { validityDays: 367 },
      'validityDays must be a whole number of days from 1 to 366 (IAM Identity Center issues SCIM tokens for one year), got 367.',
    ],
  ])('rejects %j', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('settings that only make sense together', () => {
  const build = (props: ScimTokenExpiryMonitorProps) =>
    new ScimTokenExpiryMonitor(new Stack(new App(), 'Host'), 'Monitor', props);

  // The half-configured channels below do not compile (`npm run lint` type-checks this file, and
  // fails if an error the comments expect disappears); cast through, the construct still refuses.
  it('are typed so that a half-configured channel does not compile', () => {
    // @ts-expect-error: a Slack channel needs its workspace.
    const slack: ScimTokenExpiryMonitorProps = { slack: { channelId: 'C0123456789' } };
    // @ts-expect-error: a Teams channel needs its tenant.
    const teams: ScimTokenExpiryMonitorProps = { teams: { teamId: 't', channelId: 'c' } };
    // @ts-expect-error: a probe needs the endpoint to ask.
    const probe: ScimTokenExpiryMonitorProps = { probe: { tokenNames: ['vault/okta'] } };
    for (const half of [slack, teams, probe]) expect(() => build(half)).toThrow();
  });
});

describe('who may publish to the topic', () => {
  it('admits alarms of yours only when asked, and then only those alarms, by ARN', () => {
    const stack = new Stack(new App(), 'Host');
    const monitor = new ScimTokenExpiryMonitor(stack, 'Monitor', {});
    const mine = new cloudwatch.Alarm(stack, 'Mine', {
      alarmName: 'platform-scim-tokens-low',
      metric: monitor.metricMinDaysToExpiry(),
      threshold: 3,
      evaluationPeriods: 1,
    });
    expect(mine.alarmName).toBeDefined();
    monitor.allowAlarmsToPublish('platform-scim-tokens-low');
    const template = Template.fromStack(stack);
    const admitted = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnEquals: {
        'aws:SourceArn': [
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':cloudwatch:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':alarm:platform-scim-tokens-low',
              ],
            ],
          },
        ],
      },
    };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'TheseAlarmsMayPublish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: admitted,
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'TheseAlarmsMayEncrypt',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: admitted,
          }),
        ]),
      },
    });
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    // An alarm's generated name is a reference, and would make the key depend on the alarm: refused.
    const unnamed = new cloudwatch.Alarm(stack, 'Unnamed', {
      metric: monitor.metricMinDaysToExpiry(),
      threshold: 3,
      evaluationPeriods: 1,
    });
    expect(() => monitor.allowAlarmsToPublish(unnamed.alarmName)).toThrow(
      'is not an alarm name given in code (set alarmName on the alarm, and pass that string)',
    );
  });

  it('warns at synth that an imported topic must admit both publisher roles, and not for a topic of this app', () => {
    const stack = new Stack(new App(), 'Host');
    const imported = sns.Topic.fromTopicArn(stack, 'Central', 'arn:aws:sns:eu-west-1:222222222222:alerts');
    new ScimTokenExpiryMonitor(stack, 'Monitor', { alertTopic: imported });
    Annotations.fromStack(stack).hasWarning(
      '/Host/Monitor',
      Match.stringLikeRegexp(
        "is imported: its policy must allow sns:Publish to the monitor's two publisher roles",
      ),
    );
    const own = new Stack(new App(), 'Own');
    new ScimTokenExpiryMonitor(own, 'Monitor', { alertTopic: new sns.Topic(own, 'Alerts') });
    Annotations.fromStack(own).hasNoWarning('/Own/Monitor', Match.stringLikeRegexp('is imported'));
  });
});

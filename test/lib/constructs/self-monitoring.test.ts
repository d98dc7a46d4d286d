import { Match } from 'aws-cdk-lib/assertions';
import { synthStack } from '../../support/stack';

describe('self-monitoring', () => {
  const { template } = synthStack();
  it('alarms, through the relay, to the alert topic when a run fails, when no run succeeds for 26 hours, while a registration is invalid, and when the queue is not empty', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: Record<string, unknown> }).Properties,
    );
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) {
      // Through the alarm relay, which publishes with the alerts' attributes (test/e2e/alarm-relay.test.ts).
      expect(alarm.AlarmActions).toEqual([
        { 'Fn::GetAtt': [expect.stringMatching(/AlarmRelayFunction/), 'Arn'] },
      ]);
      expect(alarm.OKActions).toEqual(alarm.AlarmActions);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RunSucceeded',
      Namespace: 'ScimTokenMonitor',
      Period: 3600,
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      Dimensions: Match.arrayWith([
        { Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('Function') } },
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'InvalidRegistrations',
      Namespace: 'ScimTokenMonitor',
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
    });
  });
});

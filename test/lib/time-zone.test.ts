/** The schedule in a team's time zone: EventBridge Scheduler, as synthesized. */
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthStack } from '../support/stack';

describe("a team's time zone", () => {
  it('runs the check through EventBridge Scheduler in that zone, with a scheduled event the function knows', () => {
    const { template, stack } = synthStack({ scheduleTimeZone: 'America/New_York' });
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'America/New_York',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('MonitorFunction'), 'Arn'] },
        Input: JSON.stringify({
          source: 'aws.scheduler',
          'detail-type': 'Scheduled Event',
          time: '<aws.scheduler.scheduled-time>',
          id: '<aws.scheduler.execution-id>',
        }),
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
      },
    });
    // No UTC rule beside it; the function knows its zone for the alerts' instants.
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as Array<{ Properties: object }>;
    expect(rules.filter((r) => JSON.stringify(r.Properties).includes('ScheduleExpression'))).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SCHEDULE_TIME_ZONE: 'America/New_York' }) },
    });
    // Scheduler's role may invoke the function and nothing else.
    const schedulerRoles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([, r]) =>
      JSON.stringify(r).includes('scheduler.amazonaws.com'),
    );
    expect(schedulerRoles).toHaveLength(1);
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });

  it('refuses a time zone IANA does not know, and ladder settings out of range', () => {
    expect(() => synthStack({ scheduleTimeZone: 'Mars/Olympus' })).toThrow(
      'scheduleTimeZone "Mars/Olympus" is not an IANA time zone name',
    );
    expect(() => synthStack({ pageWithinDays: 'soon' })).toThrow(
      'pageWithinDays: "soon" is not a whole number of days.',
    );
    expect(() => synthStack({ dailyRemindersWithinDays: '90' })).toThrow(
      'dailyRemindersWithinDays (90) is beyond the largest threshold (60)',
    );
  });
});

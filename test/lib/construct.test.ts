/** The construct on its own, inside a stack of the user's: its options and its validation. */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
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
    template.resourceCountIs('Custom::Trigger', 0);
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

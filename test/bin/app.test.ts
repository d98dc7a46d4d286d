/**
 * Configuration that cannot be mistyped: the app as `cdk synth` runs it (the real CDK CLI, a
 * child process) reports every problem in one list, once, with no stack trace; and every
 * construct setting a deployer needs is a context key that reaches the template.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { runCommand } from '../support/bin';
import { synthStack } from '../support/stack';

const cdk = (...context: string[]) =>
  runCommand('npx', ['cdk', 'synth', '--quiet', '--no-notices', ...context.flatMap((c) => ['-c', c])], {
    env: {
      HOME: process.env.HOME ?? '',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      npm_config_update_notifier: 'false',
    },
  });

describe('cdk synth with mistakes', () => {
  it('lists every problem once, suggests the key that was meant, and prints no stack trace', async () => {
    const r = await cdk('alertEmail=oncall@example.com', 'thresholds=60,x', 'schedule=rate(7 days)');
    expect(r.code).not.toBe(0);
    const stderr = r.stderr.replace(/^npm warn .*\n/gm, '');
    expect(stderr.match(/Invalid configuration/g)).toHaveLength(1);
    expect(stderr).toContain('  - unknown context key "alertEmail": did you mean "alertEmails"?\n');
    expect(stderr).toContain('  - thresholds: "x" is not a number');
    expect(stderr).toContain('  - schedule "rate(7 days)" runs 168 hours apart');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('context keys for every construct setting', () => {
  it('reserveConcurrency, tokenMetrics, runOnDeploy, maxHoursWithoutSuccess and logRetentionDays reach the template', () => {
    const { template } = synthStack({
      alertEmails: 'oncall@example.com',
      reserveConcurrency: false,
      tokenMetrics: 'false',
      runOnDeploy: 'false',
      maxHoursWithoutSuccess: 50,
      logRetentionDays: 400,
    });
    const fn = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ TOKEN_METRICS: 'false' }) } },
    });
    expect(Object.values(fn)).toHaveLength(1);
    expect(JSON.stringify(fn)).not.toContain('ReservedConcurrentExecutions');
    template.resourceCountIs('Custom::ScimTokenMonitorDeployCheck', 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RunSucceeded',
      EvaluationPeriods: 50,
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 400 });
  });

  it.each([
    [{ reserveConcurrency: 'no' }, 'reserveConcurrency: "no" must be true or false.'],
    [{ maxHoursWithoutSuccess: 'a day' }, 'maxHoursWithoutSuccess: "a day" is not a whole number of hours.'],
    [
      { maxHoursWithoutSuccess: 200 },
      'maxHoursWithoutSuccess must be a whole number of hours from 1 to 168, got 200.',
    ],
    [{ emails: 'x@example.com' }, 'unknown context key "emails": did you mean "alertEmails"?'],
    [{ frobnicate: 'yes' }, 'unknown context key "frobnicate" (known keys: alertEmails,'],
  ])('%j is refused: %s', (context, message) => {
    expect(() => synthStack(context)).toThrow(message);
  });
});

describe('the "not run" window follows the schedule', () => {
  const window = (context: Record<string, unknown>) =>
    synthStack({ alertEmails: 'oncall@example.com', ...context }).template.findResources(
      'AWS::CloudWatch::Alarm',
      {
        Properties: { MetricName: 'RunSucceeded' },
      },
    );

  it('covers a schedule that runs every two days', () => {
    expect(JSON.stringify(window({ schedule: 'rate(2 days)' }))).toContain('"EvaluationPeriods":50');
    expect(JSON.stringify(window({ schedule: 'rate(6 hours)' }))).toContain('"EvaluationPeriods":26');
  });

  it('refuses a window shorter than the schedule, and a restricted cron without one', () => {
    expect(() => synthStack({ schedule: 'rate(2 days)', maxHoursWithoutSuccess: 26 })).toThrow(
      "maxHoursWithoutSuccess (26) is shorter than the schedule's 48-hour interval",
    );
    expect(() => synthStack({ schedule: 'cron(0 8 ? * MON-FRI *)' })).toThrow(
      'schedule "cron(0 8 ? * MON-FRI *)" does not run every day: set maxHoursWithoutSuccess',
    );
    expect(
      JSON.stringify(window({ schedule: 'cron(0 8 ? * MON-FRI *)', maxHoursWithoutSuccess: 74 })),
    ).toContain('"EvaluationPeriods":74');
  });
});

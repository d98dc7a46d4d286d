/**
 * The monitor watching itself: an alarm when a run fails, a dead man's switch when no run has
 * succeeded for too long, an alarm while a registration is invalid, all (and the dead-letter alarm) notifying,
 * through the alarm relay, the alert topic on ALARM and
 * on OK, and a dashboard of every token's days to expiry, the runs and the alarms.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Placement } from '../placement';
import { AlarmRelay } from './alarm-relay';

/** A metric the monitor function emits (Embedded Metric Format), scoped to that function. */
export function monitorMetric(
  fn: lambda.IFunction,
  metricName: string,
  period: Duration,
  statistic: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'ScimTokenMonitor',
    metricName,
    dimensionsMap: { service: 'scim-token-monitor', FunctionName: fn.functionName },
    period,
    statistic,
  });
}

export interface SelfMonitoringProps extends Placement {
  /** The monitor function. */
  readonly function: lambda.IFunction;
  /** Where the alarms notify. */
  readonly alertTopic: sns.ITopic;
  /** The dead-letter alarm, notified and shown with the others. */
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Hours without a successful run before the "not run" alarm fires (1..168, validated by the caller). */
  readonly maxHoursWithoutSuccess: number;
  /** The alert thresholds, drawn on the days-to-expiry graph. */
  readonly thresholdsDays: readonly number[];
  /** For the alarm relay: its failed invocations, its logs and their key. */
  readonly deadLetterQueue: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
  readonly logsKey: kms.IKey;
  readonly environmentName?: string;
}

export class SelfMonitoring extends Construct {
  /** The function failed. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** No successful run for `maxHoursWithoutSuccess` (also fires if the schedule is gone). */
  public readonly notRunAlarm: cloudwatch.Alarm;
  /** A registration is invalid: its token is not being watched. */
  public readonly invalidRegistrationsAlarm: cloudwatch.Alarm;
  public readonly dashboard: cloudwatch.Dashboard;
  /** Publishes every alarm change to the alert topic as an alert (critical while in ALARM). */
  public readonly relay: AlarmRelay;
  private readonly fn: lambda.IFunction;

  constructor(scope: Construct, id: string, props: SelfMonitoringProps) {
    super(scope, id);
    this.fn = props.function;
    const hours = props.maxHoursWithoutSuccess;
    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription:
        'The SCIM token monitor failed a run: alerts may be missing. Check its log group; Lambda retries the run twice.',
      metric: this.fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // A dead man's switch: every hour without a successful run counts as failing (missing data is
    // breaching), so a deleted or disabled schedule, a broken deploy or a silent crash all fire it.
    this.notRunAlarm = new cloudwatch.Alarm(this, 'NotRunAlarm', {
      alarmDescription: `The SCIM token monitor has not completed a successful run for ${hours} hours: no token is being watched. Check the schedule, the function and its log group.`,
      metric: this.metric('RunSucceeded', Duration.hours(1), cloudwatch.Stats.SUM),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    // An invalid registration is a token nobody watches: besides its own weekly alerts, an alarm
    // that stays red (and on the dashboard) until the registration is fixed.
    this.invalidRegistrationsAlarm = new cloudwatch.Alarm(this, 'InvalidRegistrationsAlarm', {
      alarmDescription:
        'A SCIM token registration is invalid, so its token is not monitored. `scim-token-monitor status` names it and says why.',
      metric: this.metric('InvalidRegistrations', Duration.days(1), cloudwatch.Stats.MAXIMUM),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Through the relay, not straight to SNS: an alarm published by CloudWatch carries no message
    // attributes, so subscribers filtered on severity (a pager) would never hear of it.
    this.relay = new AlarmRelay(this, 'AlarmRelay', {
      alertTopic: props.alertTopic,
      deadLetterQueue: props.deadLetterQueue,
      logRetention: props.logRetention,
      logsKey: props.logsKey,
      ...(props.environmentName ? { environmentName: props.environmentName } : {}),
      ...(props.vpc ? { vpc: props.vpc } : {}),
      ...(props.vpcSubnets ? { vpcSubnets: props.vpcSubnets } : {}),
      ...(props.securityGroups ? { securityGroups: props.securityGroups } : {}),
    });
    for (const alarm of [
      this.errorsAlarm,
      this.notRunAlarm,
      this.invalidRegistrationsAlarm,
      props.deadLetterAlarm,
    ]) {
      this.relay.relay(alarm);
    }
    this.dashboard = this.createDashboard(props.thresholdsDays, props.deadLetterAlarm);
  }

  private metric(name: string, period: Duration, statistic: string): cloudwatch.Metric {
    return monitorMetric(this.fn, name, period, statistic);
  }

  private createDashboard(
    thresholdsDays: readonly number[],
    deadLetterAlarm: cloudwatch.Alarm,
  ): cloudwatch.Dashboard {
    const day = Duration.days(1);
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(90),
    });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Tokens inside each alert threshold, and expired',
        width: 24,
        height: 6,
        left: [
          ...thresholdsDays.map((t) => this.metric(`TokensWithin${t}Days`, day, cloudwatch.Stats.MAXIMUM)),
          this.metric('TokensExpired', day, cloudwatch.Stats.MAXIMUM),
        ],
        leftYAxis: { min: 0, label: 'tokens' },
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Days to expiry, per token (with tokenMetrics on)',
        width: 24,
        height: 8,
        left: [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{ScimTokenMonitor,FunctionName,TokenName,service} MetricName="DaysToExpiry" FunctionName="${this.fn.functionName}"', 'Minimum', 86400)`,
            label: '',
            period: day,
          }),
        ],
        leftAnnotations: thresholdsDays.map((t) => ({ value: t, label: `${t}-day alert` })),
        leftYAxis: { min: 0, label: 'days' },
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.SingleValueWidget({
        title: 'Nearest expiry (days)',
        width: 6,
        metrics: [this.metric('MinDaysToExpiry', day, cloudwatch.Stats.MINIMUM)],
      }),
      new cloudwatch.SingleValueWidget({
        title: 'Tokens monitored / invalid',
        width: 6,
        metrics: [
          this.metric('TokensMonitored', day, cloudwatch.Stats.MAXIMUM),
          this.metric('InvalidRegistrations', day, cloudwatch.Stats.MAXIMUM),
        ],
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Monitor health',
        width: 12,
        alarms: [this.errorsAlarm, this.notRunAlarm, this.invalidRegistrationsAlarm, deadLetterAlarm],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Runs, alerts and errors',
        width: 24,
        left: [
          this.metric('RunSucceeded', day, cloudwatch.Stats.SUM),
          this.metric('AlertsSent', day, cloudwatch.Stats.SUM),
          this.metric('DeliveryFailures', day, cloudwatch.Stats.SUM),
          this.metric('ProbesInconclusive', day, cloudwatch.Stats.SUM),
          this.fn.metricErrors({ period: day, statistic: cloudwatch.Stats.SUM }),
        ],
      }),
    );
    return dashboard;
  }
}

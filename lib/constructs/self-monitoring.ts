/**
 * The monitor watching itself: an alarm when a run fails, a dead man's switch when no run has
 * succeeded for too long, an alarm while a registration is invalid, all (and the dead-letter
 * alarm) notifying the alert topic through the alarm relay on ALARM and on OK; and a dashboard of
 * the tokens inside each threshold, the runs and the alarms.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MonitorMetrics } from '../metrics';
import type { Placement } from '../placement';
import { AlarmRelay } from './alarm-relay';
import type { AlertDestination } from './alert-channel';

export interface SelfMonitoringProps extends Placement {
  /** The monitor function. */
  readonly function: lambda.IFunction;
  /** Where the alarms notify. */
  readonly alerts: AlertDestination;
  /** The dead-letter alarm, notified and shown with the others. */
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Hours without a successful run before the "not run" alarm fires (1..168, validated by the caller). */
  readonly maxHoursWithoutSuccess: number;
  /** The alert thresholds, drawn on the days-to-expiry graph. */
  readonly thresholdsDays: readonly number[];
  /** `tokenMetrics` is on: the dashboard graphs every token's days to expiry. */
  readonly tokenMetrics: boolean;
  /** Create the dashboard (USD 3 a month beyond the free tier's three per account). */
  readonly dashboard: boolean;
  /** The probe is on: the dashboard shows its inconclusive answers. */
  readonly probing: boolean;
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
  /** Only with `dashboard`. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** Publishes every alarm change to the alert topic as an alert (critical while in ALARM). */
  public readonly relay: AlarmRelay;
  /** The monitor's own metrics, scoped to its function. */
  public readonly metrics: MonitorMetrics;
  private readonly fn: lambda.IFunction;

  constructor(scope: Construct, id: string, props: SelfMonitoringProps) {
    super(scope, id);
    this.fn = props.function;
    this.metrics = new MonitorMetrics(props.function);
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
      metric: this.metrics.runSucceeded({ period: Duration.hours(1) }),
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
      metric: this.metrics.invalidRegistrations(),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Through the relay, not straight to SNS: an alarm published by CloudWatch carries no message
    // attributes, so subscribers filtered on severity (a pager) would never hear of it.
    this.relay = new AlarmRelay(this, 'AlarmRelay', {
      alerts: props.alerts,
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
    if (props.dashboard) this.dashboard = this.createDashboard(props);
  }

  private createDashboard(props: SelfMonitoringProps): cloudwatch.Dashboard {
    const { thresholdsDays, deadLetterAlarm } = props;
    const m = this.metrics;
    const day = Duration.days(1);
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(90),
    });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Tokens inside each alert threshold, and expired',
        width: 24,
        height: 6,
        left: [...thresholdsDays.map((t) => m.tokensWithin(t)), m.tokensExpired()],
        leftYAxis: { min: 0, label: 'tokens' },
      }),
    );
    // Only with tokenMetrics: without it, there is no per-token metric to graph.
    if (props.tokenMetrics) {
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Days to expiry, per token',
          width: 24,
          height: 8,
          left: [m.daysToExpiryPerToken()],
          leftAnnotations: thresholdsDays.map((t) => ({ value: t, label: `${t}-day alert` })),
          leftYAxis: { min: 0, label: 'days' },
        }),
      );
    }
    dashboard.addWidgets(
      new cloudwatch.SingleValueWidget({
        title: 'Nearest expiry (days)',
        width: 6,
        metrics: [m.minDaysToExpiry()],
      }),
      new cloudwatch.SingleValueWidget({
        title: 'Tokens monitored / invalid',
        width: 6,
        metrics: [m.tokensMonitored(), m.invalidRegistrations()],
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
          m.runSucceeded(),
          m.alertsSent(),
          m.deliveryFailures(),
          ...(props.probing ? [m.probesInconclusive()] : []),
          this.fn.metricErrors({ period: day, statistic: cloudwatch.Stats.SUM }),
        ],
      }),
    );
    return dashboard;
  }
}

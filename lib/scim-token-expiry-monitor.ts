/**
 * The monitor, as a table of contents: each part is a focused construct in lib/constructs/.
 *
 *   AlertChannel        the encrypted topic every alert and alarm goes to, its email subscribers,
 *                       and who may publish to it
 *   DeadLetters         what failed after every retry, and its alarm
 *   DeliveryLedger      the DynamoDB table of alert state and delivery claims
 *   MonitorFunction     the scheduled function, its role and logs, the schedule and Health rules
 *   HealthSources       (organization) the bus policy admitting other accounts' Health notices
 *   TokenProbe          decrypt rights for exactly the probed SecureStrings (none by default)
 *   SelfMonitoring      the failure, "not run" and invalid-registration alarms, the alarm relay,
 *                       and the dashboard
 *   ChatDelivery        Slack and Teams through Chatbot, and the Slack webhook forwarder
 *   DeploymentSettings  what the CLI reads to know this deployment (one SSM parameter)
 */
import type * as chatbot from 'aws-cdk-lib/aws-chatbot';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { DEFAULTS } from '../core/contract';
import { AlertChannel } from './constructs/alert-channel';
import { ChatDelivery } from './constructs/chat-delivery';
import { DeadLetters } from './constructs/dead-letters';
import { DeliveryLedger } from './constructs/delivery-ledger';
import { DeploymentSettingsParameter } from './constructs/deployment-settings';
import { HealthSources } from './constructs/health-sources';
import { MonitorFunction } from './constructs/monitor-function';
import { PagerDutyDelivery } from './constructs/pager-duty';
import { SelfMonitoring } from './constructs/self-monitoring';
import { TokenProbe } from './constructs/token-probe';
import { monitorKey } from './keys';
import { DEFAULT_LOG_RETENTION } from './logs';
import type { MonitorMetrics } from './metrics';
import { monitorPropsProblems, resolveSettings } from './monitor-validation';
import { warnAboutDeployability } from './monitor-warnings';
import { DEFAULT_PARAMETER_PREFIX, DEFAULT_SCHEDULE, type ScimTokenExpiryMonitorProps } from './props';
import { throwIfAny, withTrailingSlash } from './validation';

export type { ScimTokenExpiryMonitorProps } from './props';

/**
 * Watches IAM Identity Center SCIM access tokens registered in SSM Parameter Store and alerts
 * through an encrypted SNS topic (and EventBridge) 60, 30 and 7 days before each expires.
 *
 * The smallest deployment is `new ScimTokenExpiryMonitor(this, 'Monitor', { alertEmails: [...] })`.
 */
export class ScimTokenExpiryMonitor extends Construct {
  /** The topic every alert is published to (created, or the one passed in). Subscribe more endpoints to it. */
  public readonly alertTopic: sns.ITopic;
  /** The customer-managed key that encrypts the topic it creates (rotation on); none for an existing topic. */
  public readonly topicKey?: kms.IKey;
  /** The scheduled function that evaluates the tokens. */
  public readonly function: lambda.IFunction;
  /** The schedule, in UTC: an EventBridge rule (none with `scheduleTimeZone`). */
  public readonly rule?: events.IRule;
  /** The schedule in `scheduleTimeZone`: an EventBridge Scheduler schedule. */
  public readonly zonedSchedule?: scheduler.ISchedule;
  /** Routes AWS Health SCIM token expiry notices to the function, unless turned off. */
  public readonly healthRule?: events.IRule;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** Encrypted queue that keeps invocations that failed after every retry. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The function failed. */
  public readonly errorsAlarm: cloudwatch.IAlarm;
  /** No successful scheduled run for `maxHoursWithoutSuccess` (also fires if the schedule is gone). */
  public readonly notRunAlarm: cloudwatch.IAlarm;
  /** A failed invocation is waiting in the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.IAlarm;
  /** A registration is invalid, so its token is not watched. */
  public readonly invalidRegistrationsAlarm: cloudwatch.IAlarm;
  /** Tokens inside each threshold, runs, alerts and errors, and the alarms. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The Chatbot Slack channel, when `slack` is set. */
  public readonly slackChannel?: chatbot.ISlackChannelConfiguration;
  /** The Chatbot Microsoft Teams channel, when `teams` is set. */
  public readonly teamsChannel?: chatbot.CfnMicrosoftTeamsChannelConfiguration;
  /** The Slack webhook forwarder, when `slackWebhook` is set. */
  public readonly slackForwarder?: lambda.IFunction;
  /** The registry prefix, with a trailing slash. */
  public readonly parameterPrefix: string;
  /** The delivery ledger: alert state and per-channel claims. */
  public readonly ledger: dynamodb.ITable;
  /** The customer-managed key that encrypts the log groups (the topic key, when the topic is created here). */
  public readonly logsKey: kms.IKey;
  /** The key for tokens kept as SecureStrings; only with `probe`. */
  public readonly tokenKey?: kms.IKey;
  /** This deployment's settings, which the CLI reads (core/contract.ts `DeploymentSettings`). */
  public readonly settingsParameter: ssm.IStringParameter;
  /**
   * The roles that publish to the alert topic: the function's and the alarm relay's. An existing
   * topic's policy (and its key's) must admit both (docs/governed-organizations.md).
   */
  public readonly publisherRoles: readonly iam.IRole[];
  /** PagerDuty's connection, API destination and rules, when `pagerDuty` is set. */
  public readonly pagerDuty?: PagerDutyDelivery;
  private readonly metrics: MonitorMetrics;
  private readonly channel: AlertChannel;

  constructor(scope: Construct, id: string, props: ScimTokenExpiryMonitorProps = {}) {
    super(scope, id);
    throwIfAny('ScimTokenExpiryMonitor configuration', monitorPropsProblems(props));
    const { thresholdsDays, validityDays, maxHoursWithoutSuccess } = resolveSettings(props);
    this.parameterPrefix = withTrailingSlash(props.parameterPrefix ?? DEFAULT_PARAMETER_PREFIX);
    const logRetention = props.logRetention ?? DEFAULT_LOG_RETENTION;
    const placement = { vpc: props.vpc, vpcSubnets: props.vpcSubnets, securityGroups: props.securityGroups };
    const tokenNames = props.probe?.tokenNames ?? [];
    const schedule = props.schedule ?? DEFAULT_SCHEDULE;
    const reconcileHealthEvents = props.reconcileHealthEvents ?? true;

    // The id "Default" keeps the topic's and key's logical IDs what they were before this part
    // became its own construct, so an upgrade keeps the topic and its confirmed subscriptions.
    const channel = new AlertChannel(this, 'Default', {
      ...(props.alertTopic ? { existingTopic: props.alertTopic } : {}),
      ...(props.alertTopicKey ? { existingTopicKey: props.alertTopicKey } : {}),
      emails: props.alertEmails ?? [],
    });
    this.channel = channel;
    this.alertTopic = channel.topic;
    if (channel.key) this.topicKey = channel.key;
    // The key of the monitor's log groups: the topic's, or one of their own with an existing topic.
    this.logsKey = channel.key ?? monitorKey(this, 'LogsKey', 'Encrypts the SCIM token monitor logs');

    const deadLetters = new DeadLetters(this, 'DeadLetters');
    this.deadLetterQueue = deadLetters.queue;
    this.deadLetterAlarm = deadLetters.alarm as cloudwatch.Alarm;

    const ledger = new DeliveryLedger(this, 'Ledger', { key: this.logsKey });
    this.ledger = ledger.table;

    const eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    const monitor = new MonitorFunction(this, 'Monitor', {
      alerts: channel,
      eventBus,
      deadLetterQueue: this.deadLetterQueue,
      parameterPrefix: this.parameterPrefix,
      ledger,
      thresholdsDays,
      validityDays,
      schedule,
      logRetention,
      logsKey: this.logsKey,
      ...placement,
      tokenMetrics: props.tokenMetrics ?? false,
      observeProvisioning: props.observeProvisioning ?? DEFAULTS.observeProvisioning,
      ...(props.provisioningAlerts ? { provisioningAlerts: props.provisioningAlerts } : {}),
      digestAfter: props.digestAfter ?? DEFAULTS.digestAfter,
      reserveConcurrency: props.reserveConcurrency ?? false,
      reconcileHealthEvents,
      runOnDeploy: props.runOnDeploy ?? !props.vpc,
      ...(props.scheduleTimeZone ? { scheduleTimeZone: props.scheduleTimeZone } : {}),
      ...(props.pageWithinDays !== undefined ? { pageWithinDays: props.pageWithinDays } : {}),
      ...(props.dailyRemindersWithinDays !== undefined
        ? { dailyRemindersWithinDays: props.dailyRemindersWithinDays }
        : {}),
      ...(props.environmentName ? { environmentName: props.environmentName } : {}),
      ...(props.probe ? { probe: props.probe } : {}),
    });
    this.function = monitor.function;
    this.logGroup = monitor.logGroup;
    if (monitor.rule) this.rule = monitor.rule;
    if (monitor.zonedSchedule) this.zonedSchedule = monitor.zonedSchedule;
    if (monitor.healthRule) this.healthRule = monitor.healthRule;

    // Always: with no token opted in, it is the Deny that keeps every stored token unreadable.
    const probe = new TokenProbe(this, 'Probe', {
      role: monitor.role,
      parameterPrefix: this.parameterPrefix,
      tokenNames,
    });
    if (probe.tokenKey) this.tokenKey = probe.tokenKey;

    const selfMonitoring = new SelfMonitoring(this, 'SelfMonitoring', {
      dashboard: props.dashboard ?? false,
      function: this.function,
      alerts: channel,
      deadLetterAlarm: deadLetters.alarm as cloudwatch.Alarm,
      maxHoursWithoutSuccess,
      thresholdsDays,
      tokenMetrics: props.tokenMetrics ?? false,
      probing: tokenNames.length > 0,
      deadLetterQueue: this.deadLetterQueue,
      logRetention,
      logsKey: this.logsKey,
      ...placement,
      ...(props.environmentName ? { environmentName: props.environmentName } : {}),
    });
    this.metrics = selfMonitoring.metrics;
    this.errorsAlarm = selfMonitoring.errorsAlarm;
    this.notRunAlarm = selfMonitoring.notRunAlarm;
    this.invalidRegistrationsAlarm = selfMonitoring.invalidRegistrationsAlarm;
    if (selfMonitoring.dashboard) this.dashboard = selfMonitoring.dashboard;
    this.publisherRoles = [monitor.role, selfMonitoring.relay.role];
    // Notices forwarded from the accounts that own IAM Identity Center reach the Health rule; the
    // forwarders' own alarms reach the relay.
    if (props.organization?.healthSourceAccounts.length) {
      new HealthSources(this, 'HealthSources', {
        accounts: props.organization.healthSourceAccounts,
        alarmRelay: selfMonitoring.relay.function,
        deadLetterQueue: this.deadLetterQueue,
      });
    }

    const chat = new ChatDelivery(this, 'Chat', {
      ...(props.slack ? { slack: props.slack } : {}),
      ...(props.teams ? { teams: props.teams } : {}),
      ...(props.slackWebhook ? { slackWebhook: props.slackWebhook } : {}),
      alertTopic: this.alertTopic,
      deadLetterQueue: this.deadLetterQueue,
      logRetention,
      logsKey: this.logsKey,
      ...placement,
    });
    if (chat.slackChannel) this.slackChannel = chat.slackChannel;
    if (chat.teamsChannel) this.teamsChannel = chat.teamsChannel;
    if (chat.slackForwarder) this.slackForwarder = chat.slackForwarder;

    if (props.pagerDuty) {
      this.pagerDuty = new PagerDutyDelivery(this, 'PagerDuty', {
        routingKeySecretName: props.pagerDuty.routingKeySecretName,
        eventBus,
        deadLetterQueue: this.deadLetterQueue,
      });
    }

    this.settingsParameter = new DeploymentSettingsParameter(this, 'DeploymentSettings', {
      owner: this,
      settings: {
        parameterPrefix: this.parameterPrefix,
        thresholdsDays,
        validityDays,
        ledgerTableName: this.ledger.tableName,
        alertTopicArn: this.alertTopic.topicArn,
        functionName: this.function.functionName,
        logGroupName: this.logGroup.logGroupName,
        schedule: schedule.expressionString,
        ...(this.rule ? { scheduleRuleName: this.rule.ruleName } : {}),
        ...(this.zonedSchedule ? { zonedScheduleName: this.zonedSchedule.scheduleName } : {}),
        ...(props.scheduleTimeZone ? { scheduleTimeZone: props.scheduleTimeZone } : {}),
        ...(props.pageWithinDays !== undefined ? { pageWithinDays: props.pageWithinDays } : {}),
        ...(props.dailyRemindersWithinDays !== undefined
          ? { dailyRemindersWithinDays: props.dailyRemindersWithinDays }
          : {}),
        ...(this.healthRule ? { healthRuleName: this.healthRule.ruleName } : {}),
        alarmNames: [
          this.errorsAlarm,
          this.notRunAlarm,
          this.invalidRegistrationsAlarm,
          this.deadLetterAlarm,
        ].map((a) => a.alarmName),
        maxHoursWithoutSuccess,
        reconcileHealthEvents,
        observeProvisioning: props.observeProvisioning ?? DEFAULTS.observeProvisioning,
        healthSourceAccounts: props.organization?.healthSourceAccounts ?? [],
        ...(this.tokenKey ? { tokenKeyArn: this.tokenKey.keyArn } : {}),
        publisherRoleArns: this.publisherRoles.map((r) => r.roleArn),
        alarmRelayFunctionName: selfMonitoring.relay.function.functionName,
        deadLetterQueueName: this.deadLetterQueue.queueName,
      },
    }).parameter;
    warnAboutDeployability(this, props, logRetention);
  }

  /**
   * Lets CloudWatch alarms of yours publish to the alert topic directly (an `SnsAction` on
   * `alertTopic`), by the `alarmName` you gave each: the topic admits no CloudWatch alarm
   * otherwise (the monitor's own act through its alarm relay). Only for a topic this construct
   * creates, or one created in the same app; an imported topic's owner admits them in its own
   * policy.
   */
  public allowAlarmsToPublish(...alarmNames: string[]): void {
    this.channel.allowAlarms(alarmNames);
  }

  /** 1 for each scheduled run that delivered everything: what the "not run" alarm watches. */
  public metricRunSucceeded(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.runSucceeded(options);
  }
  /** The fewest days any registered token has left (negative once one has expired). */
  public metricMinDaysToExpiry(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.minDaysToExpiry(options);
  }
  /** How many tokens are inside one alert threshold (one of `thresholdsDays`). */
  public metricTokensWithin(thresholdDays: number, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.tokensWithin(thresholdDays, options);
  }
  /** How many registered tokens have expired. */
  public metricTokensExpired(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.tokensExpired(options);
  }
  /** How many tokens are registered (and adopted). */
  public metricTokensMonitored(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.tokensMonitored(options);
  }
  /** How many registrations cannot be read. */
  public metricInvalidRegistrations(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.invalidRegistrations(options);
  }
  /** Alerts delivered on SNS. */
  public metricAlertsSent(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.alertsSent(options);
  }
  /** Delivery steps that failed (the run then fails and is retried). */
  public metricDeliveryFailures(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.deliveryFailures(options);
  }
}

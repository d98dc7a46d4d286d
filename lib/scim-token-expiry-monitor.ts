/**
 * The monitor, as a table of contents: each part is a focused construct in lib/constructs/.
 *
 *   AlertChannel    the encrypted topic every alert and alarm goes to, and its email subscribers
 *   DeadLetters     what failed after every retry, and its alarm
 *   MonitorFunction the scheduled function, its role and logs, the schedule and Health rules
 *   TokenProbe      decrypt rights for exactly the probed SecureStrings (none by default)
 *   SelfMonitoring  the failure and "not run" alarms, and the dashboard
 *   ChatDelivery    Slack and Teams through Chatbot, and the Slack webhook forwarder
 */
import { Annotations, type Duration, Stack, Token } from 'aws-cdk-lib';
import type * as chatbot from 'aws-cdk-lib/aws-chatbot';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_DIGEST_AFTER } from '../core/flood';
import { parseScimEndpoint } from '../core/scim-endpoint';
import { AlertChannel } from './constructs/alert-channel';
import { ChatDelivery } from './constructs/chat-delivery';
import { DeadLetters } from './constructs/dead-letters';
import { DeliveryLedger } from './constructs/delivery-ledger';
import { HealthSources } from './constructs/health-sources';
import { MonitorFunction } from './constructs/monitor-function';
import { monitorMetric, SelfMonitoring } from './constructs/self-monitoring';
import { TokenProbe } from './constructs/token-probe';
import { monitorKey } from './keys';
import { DEFAULT_LOG_RETENTION } from './logs';
import { monitorPropsProblems, resolveSettings } from './monitor-validation';
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
  public readonly topicKey?: kms.Key;
  /** The scheduled function that evaluates the tokens. */
  public readonly function: lambda.Function;
  /** The schedule. */
  public readonly rule: events.Rule;
  /** Routes AWS Health SCIM token expiry notices to the function, unless turned off. */
  public readonly healthRule?: events.Rule;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
  /** Encrypted queue that keeps invocations that failed after every retry. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The function failed. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** No successful run for `maxHoursWithoutSuccess` (also fires if the schedule is gone). */
  public readonly notRunAlarm: cloudwatch.Alarm;
  /** A failed invocation is waiting in the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Days to expiry of every token, runs, alerts and errors. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The Chatbot Slack channel, when configured. */
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;
  /** The Chatbot Microsoft Teams channel, when configured. */
  public readonly teamsChannel?: chatbot.CfnMicrosoftTeamsChannelConfiguration;
  /** The Slack webhook forwarder, when `slackWebhookSecretName` is set. */
  public readonly slackForwarder?: lambda.Function;
  /** The registry prefix, with a trailing slash. */
  public readonly parameterPrefix: string;
  /** The delivery ledger: alert state and per-channel claims. */
  public readonly ledger: dynamodb.Table;
  /** The customer-managed key that encrypts the log groups (the topic key, when the topic is created here). */
  public readonly logsKey: kms.IKey;
  /** The key for tokens kept as SecureStrings; only when `verifyStoredTokens` names some. */
  public readonly tokenKey?: kms.Key;

  constructor(scope: Construct, id: string, props: ScimTokenExpiryMonitorProps = {}) {
    super(scope, id);
    throwIfAny('ScimTokenExpiryMonitor configuration', monitorPropsProblems(props));
    const { thresholdsDays, validityDays, maxHoursWithoutSuccess } = resolveSettings(props);
    this.parameterPrefix = withTrailingSlash(props.parameterPrefix ?? DEFAULT_PARAMETER_PREFIX);
    const logRetention = props.logRetention ?? DEFAULT_LOG_RETENTION;
    const placement = { vpc: props.vpc, vpcSubnets: props.vpcSubnets, securityGroups: props.securityGroups };

    // The id "Default" keeps the topic's and key's logical IDs what they were before this part
    // became its own construct, so an upgrade keeps the topic and its confirmed subscriptions.
    const channel = new AlertChannel(this, 'Default', {
      ...(props.alertTopic ? { existingTopic: props.alertTopic } : {}),
      emails: props.alertEmails ?? [],
    });
    this.alertTopic = channel.topic;
    if (channel.key) this.topicKey = channel.key;
    // The key of the monitor's log groups: the topic's, or one of their own with an existing topic.
    this.logsKey = channel.key ?? monitorKey(this, 'LogsKey', 'Encrypts the SCIM token monitor logs');

    const deadLetters = new DeadLetters(this, 'DeadLetters');
    this.deadLetterQueue = deadLetters.queue;
    this.deadLetterAlarm = deadLetters.alarm as cloudwatch.Alarm;

    const ledger = new DeliveryLedger(this, 'Ledger', { key: this.logsKey });
    this.ledger = ledger.table;

    const monitor = new MonitorFunction(this, 'Monitor', {
      alertTopic: this.alertTopic,
      eventBus: props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      deadLetterQueue: this.deadLetterQueue,
      parameterPrefix: this.parameterPrefix,
      ledger,
      thresholdsDays,
      validityDays,
      schedule: props.schedule ?? DEFAULT_SCHEDULE,
      logRetention,
      logsKey: this.logsKey,
      ...placement,
      tokenMetrics: props.tokenMetrics ?? false,
      digestAfter: props.digestAfter ?? DEFAULT_DIGEST_AFTER,
      reserveConcurrency: props.reserveConcurrency ?? false,
      reconcileHealthEvents: props.reconcileHealthEvents ?? true,
      runOnDeploy: props.runOnDeploy ?? !props.vpc,
      ...(props.environmentName ? { environmentName: props.environmentName } : {}),
      ...(props.verifyStoredTokens ? { verifyStoredTokens: props.verifyStoredTokens } : {}),
      ...(props.scimEndpoint ? { scimEndpoint: props.scimEndpoint } : {}),
    });
    this.function = monitor.function;
    this.logGroup = monitor.logGroup;
    this.rule = monitor.rule;
    if (monitor.healthRule) this.healthRule = monitor.healthRule;
    // Notices forwarded from the accounts that own IAM Identity Center reach that same rule.
    if (props.healthSourceAccounts?.length) {
      new HealthSources(this, 'HealthSources', { accounts: props.healthSourceAccounts });
    }

    // Always: with no token opted in, it is the Deny that keeps every stored token unreadable.
    const probe = new TokenProbe(this, 'Probe', {
      role: monitor.role,
      parameterPrefix: this.parameterPrefix,
      tokenNames: props.verifyStoredTokens ?? [],
    });
    if (probe.tokenKey) this.tokenKey = probe.tokenKey;

    const selfMonitoring = new SelfMonitoring(this, 'SelfMonitoring', {
      function: this.function,
      alertTopic: this.alertTopic,
      deadLetterAlarm: this.deadLetterAlarm,
      maxHoursWithoutSuccess,
      thresholdsDays,
      deadLetterQueue: this.deadLetterQueue,
      logRetention,
      logsKey: this.logsKey,
      ...placement,
      ...(props.environmentName ? { environmentName: props.environmentName } : {}),
    });
    // An existing topic's key: both publishers may use it, only through SNS.
    if (props.alertTopicKey) {
      for (const publisher of [monitor.role, selfMonitoring.relay.function.role]) {
        publisher?.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'UseTheAlertTopicKeyThroughSns',
            actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            resources: [props.alertTopicKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `sns.${Stack.of(this).region}.amazonaws.com` } },
          }),
        );
      }
    }
    this.errorsAlarm = selfMonitoring.errorsAlarm;
    this.notRunAlarm = selfMonitoring.notRunAlarm;
    this.dashboard = selfMonitoring.dashboard;

    const chat = new ChatDelivery(this, 'Chat', {
      ...props,
      alertTopic: this.alertTopic,
      deadLetterQueue: this.deadLetterQueue,
      logRetention,
      logsKey: this.logsKey,
      ...placement,
      ...(props.environmentName ? { environmentName: props.environmentName } : {}),
    });
    if (chat.slackChannel) this.slackChannel = chat.slackChannel;
    if (chat.teamsChannel) this.teamsChannel = chat.teamsChannel;
    if (chat.slackForwarder) this.slackForwarder = chat.slackForwarder;
    warnAboutDeployability(this, props, logRetention);
  }

  /** A metric the function emits (Embedded Metric Format), scoped to this deployment's function. */
  public runMetric(metricName: string, period: Duration, statistic: string): cloudwatch.Metric {
    return monitorMetric(this.function, metricName, period, statistic);
  }
}

/**
 * Deployable but probably not what was meant: a synth warning (a CDK annotation), not an error.
 */
function warnAboutDeployability(
  scope: Construct,
  props: ScimTokenExpiryMonitorProps,
  logRetention: logs.RetentionDays,
): void {
  const annotations = Annotations.of(scope);
  const chat =
    (props.slackWorkspaceId && props.slackChannelId) ||
    (props.teamsTeamId && props.teamsChannelId && props.teamsTenantId) ||
    props.slackWebhookSecretName;
  if (!props.alertTopic && (props.alertEmails ?? []).length === 0 && !chat) {
    annotations.addWarningV2(
      'scim-token-monitor:no-subscriber',
      'Nobody will receive an alert: no alertEmails, no Slack or Teams channel, no webhook and no alertTopic. Set -c alertEmails=oncall@example.com (or another channel), or subscribe to the AlertTopicArn output after deploying.',
    );
  }
  if (logRetention !== logs.RetentionDays.INFINITE && logRetention < logs.RetentionDays.ONE_YEAR) {
    annotations.addWarningV2(
      'scim-token-monitor:log-retention',
      `Logs are kept ${logRetention} days: AWS Control Tower's CT.CLOUDWATCH.PR.2 refuses log groups kept less than a year (365 days).`,
    );
  }
  // SCIM works only in the instance's primary region; the monitor usually lives there too.
  const region = Stack.of(scope).region;
  const probed = props.verifyStoredTokens?.length && props.scimEndpoint;
  if (probed && !Token.isUnresolved(props.scimEndpoint) && !Token.isUnresolved(region)) {
    // Validated with the probe (probeProblems): the pinned parser reads its region.
    const endpointRegion = parseScimEndpoint(props.scimEndpoint as string).region;
    if (endpointRegion !== region) {
      annotations.addWarningV2(
        'scim-token-monitor:scim-endpoint-region',
        `scimEndpoint is in ${endpointRegion} but the monitor deploys to ${region}: SCIM works only in the IAM Identity Center instance's primary region, so use that region's endpoint (and deploy the monitor there, where ListInstances and AWS Health see the instance).`,
      );
    }
  }
  if (props.vpc && props.runOnDeploy) {
    annotations.addWarningV2(
      'scim-token-monitor:run-on-deploy-outside-vpc',
      "runOnDeploy uses CDK's trigger provider, a function outside the VPC: AWS Control Tower's CT.LAMBDA.PR.3 refuses it. Leave runOnDeploy off with vpc in a governed account.",
    );
  }
}

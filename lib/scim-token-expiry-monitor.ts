import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import {
  chatProblems,
  emailProblems,
  prefixProblems,
  probeProblems,
  thresholdProblems,
  throwIfAny,
  validityProblems,
  withTrailingSlash,
} from './validation';

export const DEFAULT_THRESHOLDS_DAYS: readonly number[] = [60, 30, 7];
export const DEFAULT_VALIDITY_DAYS = 365;
export const DEFAULT_PARAMETER_PREFIX = '/scim-token-monitor/tokens/';
export const DEFAULT_STATE_PREFIX = '/scim-token-monitor/state/';
/**
 * Daily at 08:00 UTC. Daily, because thresholds are whole days and a missed day is caught up by
 * the next run; 08:00 UTC, so that alerts land at the start of the European working day and
 * before the Americas wake up, never in the middle of an on-call night in either.
 */
export const DEFAULT_SCHEDULE = events.Schedule.expression('cron(0 8 * * ? *)');

/**
 * A function's source: the TypeScript handler in a source checkout, or its compiled JavaScript
 * when the construct is used from the built package (`dist/`). esbuild bundles either.
 */
function handlerEntry(name: 'monitor' | 'slack'): string {
  const base = path.join(__dirname, '..', 'lambda', name, 'handler');
  return existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.js`;
}

/**
 * How both functions are bundled (locally with esbuild: no Docker). The SDK clients are bundled
 * rather than taken from the runtime, so the code that runs is the code that was tested, at the
 * versions in package-lock.json.
 */
const BUNDLING: nodejs.BundlingOptions = {
  externalModules: [],
  minify: true,
  sourceMap: false,
  target: 'node24',
  logLevel: nodejs.LogLevel.WARNING,
};

export interface ScimTokenExpiryMonitorProps {
  /**
   * Publish alerts to this existing topic (for example a central alerting topic, possibly in
   * another account) instead of creating an encrypted one. Its owner manages its encryption and
   * policy: a cross-account topic must allow this function's role (`monitor.function.role`) to
   * publish, and a customer-managed key must let it and CloudWatch alarms use the key.
   * @default - a new topic encrypted with a new customer-managed key, TLS only
   */
  readonly alertTopic?: sns.ITopic;
  /**
   * Email addresses subscribed to the alert topic (each must confirm the subscription email).
   * @default - no email subscription; subscribe to `alertTopic` yourself
   */
  readonly alertEmails?: readonly string[];
  /**
   * Days before expiry at which a token alerts, once each per token lifecycle. Distinct positive
   * whole numbers below `validityDays`. Severity: <= 7 days or the smallest one critical,
   * <= 30 warning, otherwise info.
   * @default [60, 30, 7]
   */
  readonly thresholdsDays?: readonly number[];
  /**
   * Validity of a token whose registration gives neither `expiresAt` nor `validityDays`.
   * IAM Identity Center SCIM access tokens are valid for one year.
   * @default 365
   */
  readonly validityDays?: number;
  /**
   * SSM path under which each token is registered as one parameter (read recursively).
   * @default '/scim-token-monitor/tokens/'
   */
  readonly parameterPrefix?: string;
  /**
   * SSM path where the monitor records which alerts it sent. Must not overlap `parameterPrefix`.
   * @default '/scim-token-monitor/state/'
   */
  readonly statePrefix?: string;
  /**
   * When the check runs.
   * @default - daily at 08:00 UTC (`cron(0 8 * * ? *)`)
   */
  readonly schedule?: events.Schedule;
  /**
   * The bus that receives a copy of every alert (source `scim-token-monitor`).
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.SIX_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Emit `DaysToExpiry` for each token (dimension `TokenName`), graphed on the dashboard. Each
   * token is one CloudWatch custom metric (about USD 0.30 a month each); turn this off for
   * hundreds of tokens: `MinDaysToExpiry` and the run totals are always emitted.
   * @default true
   */
  readonly tokenMetrics?: boolean;
  /**
   * Hours without a successful run after which the "not run" alarm fires (missing data counts
   * as failing, so a deleted or disabled schedule is caught). Must exceed the schedule's
   * interval; 1..168.
   * @default 26 - a daily schedule, plus two hours of slack
   */
  readonly maxHoursWithoutSuccess?: number;
  /**
   * Run a check as soon as the stack is deployed (and whenever the function changes), so a new
   * deployment proves itself and the "not run" alarm starts healthy.
   * @default true
   */
  readonly runOnDeploy?: boolean;
  /**
   * Reserve one concurrent execution, so two runs never race on the same alert state. Turn off
   * only in an account whose concurrency limit cannot spare it (new accounts may have 10).
   * @default true
   */
  readonly reserveConcurrency?: boolean;
  /**
   * Route AWS Health's SCIM token expiry notices (`AWS_IAMIDENTITYCENTER_SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION`)
   * to the monitor, which reconciles them with the registry: an announced expiry that matches no
   * registered token raises an `unregistered-token` alert.
   * @default true
   */
  readonly reconcileHealthEvents?: boolean;
  /**
   * Names of tokens kept as SecureStrings under the registry whose value the monitor checks
   * every run against the SCIM endpoint, alerting (`token-rejected`, critical) the first day it is
   * refused. This needs decrypt permission on exactly these parameters, which the function then
   * gets (scoped by KMS encryption context); no other parameter can be decrypted. Needs `scimEndpoint`.
   * @default - no token is probed; the monitor decrypts nothing
   */
  readonly verifyStoredTokens?: readonly string[];
  /**
   * The SCIM endpoint shown in IAM Identity Center (Settings > Identity source > Automatic
   * provisioning), e.g. `https://scim.eu-west-1.amazonaws.com/<tenant>/scim/v2/`.
   * @default - none; required with `verifyStoredTokens`
   */
  readonly scimEndpoint?: string;
  /**
   * Slack workspace (team) ID authorised in the AWS Chatbot console, e.g. `T07EA123LEP`. With
   * `slackChannelId`, alerts are delivered to that channel through AWS Chatbot (Amazon Q
   * Developer in chat applications).
   * @default - no Slack channel through Chatbot
   */
  readonly slackWorkspaceId?: string;
  /**
   * Slack channel ID (channel details > About, e.g. `C0123456789`). Invite `@Amazon Q` to it.
   * @default - no Slack channel through Chatbot
   */
  readonly slackChannelId?: string;
  /**
   * Microsoft Teams team ID (a GUID) authorised in the Chatbot console; with `teamsChannelId`
   * and `teamsTenantId`, alerts are delivered to that channel through Chatbot.
   * @default - no Teams channel
   */
  readonly teamsTeamId?: string;
  /**
   * Microsoft Teams channel ID, as in the channel's link (e.g. `19%3a...%40thread.tacv2`).
   * @default - no Teams channel
   */
  readonly teamsChannelId?: string;
  /**
   * Microsoft Teams (Entra ID) tenant ID, a GUID.
   * @default - no Teams channel
   */
  readonly teamsTenantId?: string;
  /**
   * Name of a Secrets Manager secret holding a Slack incoming-webhook URL (the URL itself, or
   * JSON with a `url` field). A small forwarder function then posts every alert as Block Kit;
   * the URL never appears in the template, the logs or an alert.
   * @default - no webhook forwarder
   */
  readonly slackWebhookSecretName?: string;
}

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
  public readonly function: nodejs.NodejsFunction;
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
  public readonly slackForwarder?: nodejs.NodejsFunction;
  private readonly logRetention: logs.RetentionDays;
  /** The registry prefix, with a trailing slash. */
  public readonly parameterPrefix: string;
  /** The state prefix, with a trailing slash. */
  public readonly statePrefix: string;

  constructor(scope: Construct, id: string, props: ScimTokenExpiryMonitorProps = {}) {
    super(scope, id);
    const alertEmails = props.alertEmails ?? [];
    const thresholdsDays = [...(props.thresholdsDays ?? DEFAULT_THRESHOLDS_DAYS)];
    const validityDays = props.validityDays ?? DEFAULT_VALIDITY_DAYS;
    const parameterPrefix = props.parameterPrefix ?? DEFAULT_PARAMETER_PREFIX;
    const statePrefix = props.statePrefix ?? DEFAULT_STATE_PREFIX;
    const maxHoursWithoutSuccess = props.maxHoursWithoutSuccess ?? 26;

    const problems = [
      ...emailProblems('alertEmails', alertEmails),
      ...validityProblems('validityDays', validityDays),
      ...thresholdProblems('thresholdsDays', thresholdsDays, validityDays),
      ...prefixProblems('parameterPrefix', parameterPrefix),
      ...prefixProblems('statePrefix', statePrefix),
      ...chatProblems(props),
      ...probeProblems(props),
    ];
    if (
      !Number.isInteger(maxHoursWithoutSuccess) ||
      maxHoursWithoutSuccess < 1 ||
      maxHoursWithoutSuccess > 168
    ) {
      // CloudWatch evaluates at most 7 days of hourly periods.
      problems.push(
        `maxHoursWithoutSuccess must be a whole number of hours from 1 to 168, got ${maxHoursWithoutSuccess}.`,
      );
    }
    this.parameterPrefix = withTrailingSlash(parameterPrefix);
    this.statePrefix = withTrailingSlash(statePrefix);
    if (
      this.statePrefix.startsWith(this.parameterPrefix) ||
      this.parameterPrefix.startsWith(this.statePrefix)
    ) {
      problems.push(
        'statePrefix must not be inside parameterPrefix or contain it: state would be read as tokens.',
      );
    }
    throwIfAny('ScimTokenExpiryMonitor configuration', problems);

    const stack = Stack.of(this);

    if (props.alertTopic) {
      // An existing topic: its owner manages its encryption and its policy. If it is encrypted with
      // a customer-managed key, that key must let this function and CloudWatch alarms use it.
      this.alertTopic = props.alertTopic;
    } else {
      this.topicKey = new kms.Key(this, 'TopicKey', {
        description: 'Encrypts the SCIM token expiry alert topic',
        enableKeyRotation: true,
        // The key protects messages in transit through SNS only: nothing is left encrypted with it
        // once the stack is gone, so it is scheduled for deletion with the stack.
        removalPolicy: RemovalPolicy.DESTROY,
        pendingWindow: Duration.days(7),
      });
      this.alertTopic = new sns.Topic(this, 'AlertTopic', {
        displayName: 'SCIM token expiry alerts',
        masterKey: this.topicKey,
        enforceSSL: true,
      });
      // CloudWatch alarms publish to the encrypted topic: let CloudWatch (of this account only) use the key.
      this.topicKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToPublish',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      );
    }
    for (const email of alertEmails) {
      this.alertTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the monitor; an alarm watches it.',
    });

    this.logRetention = props.logRetention ?? logs.RetentionDays.SIX_MONTHS;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: this.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // A role of our own instead of AWSLambdaBasicExecutionRole: logs go to this log group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'SCIM token expiry monitor: reads the registry, records alert state, publishes alerts',
    });
    this.logGroup.grantWrite(role);

    const eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: handlerEntry('monitor'),
      handler: 'handler',
      description: 'Alerts before IAM Identity Center SCIM access tokens expire',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      // A run reads ten registrations per SSM page: thousands of tokens take well under a minute,
      // and SDK retries with backoff under throttling need the headroom.
      timeout: Duration.minutes(5),
      role,
      logGroup: this.logGroup,
      // One run at a time: two runs must never race on the same alert state.
      ...(props.reserveConcurrency === false ? {} : { reservedConcurrentExecutions: 1 }),
      // An asynchronous invocation that fails is retried twice, then kept in the queue.
      retryAttempts: 2,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        ALERT_TOPIC_ARN: this.alertTopic.topicArn,
        REGISTRY_PREFIX: this.parameterPrefix,
        STATE_PREFIX: this.statePrefix,
        THRESHOLDS_DAYS: thresholdsDays.join(','),
        DEFAULT_VALIDITY_DAYS: String(validityDays),
        // The ARN, not the name: PutEvents needs it for a bus in another account.
        EVENT_BUS_NAME: eventBus.eventBusArn,
        ACCOUNT_ID: stack.account,
        POWERTOOLS_SERVICE_NAME: 'scim-token-monitor',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        TOKEN_METRICS: String(props.tokenMetrics ?? true),
        ...(props.verifyStoredTokens?.length
          ? { VERIFY_TOKENS: props.verifyStoredTokens.join(','), SCIM_ENDPOINT: props.scimEndpoint ?? '' }
          : {}),
      },
      bundling: BUNDLING,
    });

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the SCIM token expiry check',
      schedule: props.schedule ?? DEFAULT_SCHEDULE,
      targets: [
        new targets.LambdaFunction(this.function, {
          retryAttempts: 2,
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });

    if (props.reconcileHealthEvents ?? true) {
      // AWS Health sends the notice to the default bus of the region where IAM Identity Center
      // lives: deploy the monitor there.
      this.healthRule = new events.Rule(this, 'HealthNotices', {
        description: 'AWS Health SCIM token expiry notices, reconciled with the registry',
        eventPattern: {
          source: ['aws.health'],
          detailType: ['AWS Health Event'],
          detail: { eventTypeCode: ['AWS_IAMIDENTITYCENTER_SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION'] },
        },
        targets: [
          new targets.LambdaFunction(this.function, {
            retryAttempts: 2,
            deadLetterQueue: this.deadLetterQueue,
          }),
        ],
      });
    }

    this.grantMonitorPermissions(role, eventBus);
    if (props.verifyStoredTokens?.length) this.grantProbe(role, props.verifyStoredTokens);

    const alarmAction = new cloudwatchActions.SnsAction(this.alertTopic);
    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription:
        'The SCIM token monitor failed a run: alerts may be missing. Check its log group; Lambda retries the run twice.',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // A dead man's switch: every hour without a successful run counts as failing (missing data is
    // breaching), so a deleted or disabled schedule, a broken deploy or a silent crash all fire it.
    this.notRunAlarm = new cloudwatch.Alarm(this, 'NotRunAlarm', {
      alarmDescription: `The SCIM token monitor has not completed a successful run for ${maxHoursWithoutSuccess} hours: no token is being watched. Check the schedule, the function and its log group.`,
      metric: this.runMetric('RunSucceeded', Duration.hours(1), cloudwatch.Stats.SUM),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: maxHoursWithoutSuccess,
      datapointsToAlarm: maxHoursWithoutSuccess,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'A SCIM token monitor invocation failed after every retry and is in the dead-letter queue: alerts may be missing.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.errorsAlarm, this.notRunAlarm, this.deadLetterAlarm]) {
      alarm.addAlarmAction(alarmAction);
      alarm.addOkAction(alarmAction);
    }

    this.dashboard = this.createDashboard(thresholdsDays);
    ({ slack: this.slackChannel, teams: this.teamsChannel } = this.createChatChannels(props));
    if (props.slackWebhookSecretName)
      this.slackForwarder = this.createSlackForwarder(props.slackWebhookSecretName);

    if (props.runOnDeploy ?? true) {
      const trigger = new triggers.Trigger(this, 'RunOnDeploy', {
        handler: this.function,
        invocationType: triggers.InvocationType.EVENT,
        executeAfter: [this.alertTopic, this.rule],
      });
      Validations.of(this.function).acknowledge({
        id: 'Annotation::@aws-cdk/aws-lambda:addPermissionsToVersionOrAlias',
        reason:
          'The schedule and the deploy trigger invoke the unqualified function, which is what is granted.',
      });
      Validations.of(trigger).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            "CDK's trigger provider (a CDK-managed custom resource) logs with the AWS managed basic execution role.",
        },
        {
          id: 'AwsSolutions-L1',
          reason: "CDK's trigger provider runtime is chosen and updated by aws-cdk-lib, not by this app.",
        },
      );
    }
  }

  /**
   * Chatbot channels subscribed to the alert topic. Their role has no permission at all and the
   * guardrail denies everything: the channels only read notifications, nobody can run AWS
   * commands from chat through them. (SNS decrypts messages before it delivers them, so Chatbot
   * needs no access to the topic key.)
   */
  private createChatChannels(props: ScimTokenExpiryMonitorProps): {
    slack?: chatbot.SlackChannelConfiguration;
    teams?: chatbot.CfnMicrosoftTeamsChannelConfiguration;
  } {
    const wantSlack = props.slackWorkspaceId !== undefined && props.slackChannelId !== undefined;
    const wantTeams =
      props.teamsTeamId !== undefined &&
      props.teamsChannelId !== undefined &&
      props.teamsTenantId !== undefined;
    if (!wantSlack && !wantTeams) return {};
    const role = new iam.Role(this, 'ChatbotRole', {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
      description: 'SCIM token monitor chat channels: notifications only, no permissions',
    });
    const denyAll = iam.ManagedPolicy.fromAwsManagedPolicyName('AWSDenyAll');
    const name = (id: string) =>
      `${Names.uniqueResourceName(this, { maxLength: 100, separator: '-' })}-${id}`;
    const slack = wantSlack
      ? new chatbot.SlackChannelConfiguration(this, 'SlackChannel', {
          slackChannelConfigurationName: name('slack'),
          slackWorkspaceId: props.slackWorkspaceId as string,
          slackChannelId: props.slackChannelId as string,
          notificationTopics: [this.alertTopic],
          role,
          guardrailPolicies: [denyAll],
          userRoleRequired: false,
        })
      : undefined;
    const teams = wantTeams
      ? new chatbot.CfnMicrosoftTeamsChannelConfiguration(this, 'TeamsChannel', {
          configurationName: name('teams'),
          teamId: props.teamsTeamId as string,
          teamsChannelId: props.teamsChannelId as string,
          teamsTenantId: props.teamsTenantId as string,
          iamRoleArn: role.roleArn,
          snsTopicArns: [this.alertTopic.topicArn],
          guardrailPolicies: [denyAll.managedPolicyArn],
          userRoleRequired: false,
        })
      : undefined;
    return { ...(slack ? { slack } : {}), ...(teams ? { teams } : {}) };
  }

  /** Posts every message on the topic to a Slack incoming webhook whose URL is in Secrets Manager. */
  private createSlackForwarder(secretName: string): nodejs.NodejsFunction {
    const secret = secretsmanager.Secret.fromSecretNameV2(this, 'SlackWebhookSecret', secretName);
    const logGroup = new logs.LogGroup(this, 'SlackForwarderLogGroup', {
      retention: this.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'SlackForwarderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'SCIM token monitor Slack forwarder: reads the webhook secret, writes its logs',
    });
    logGroup.grantWrite(role);
    secret.grantRead(role);
    const forwarder = new nodejs.NodejsFunction(this, 'SlackForwarder', {
      entry: handlerEntry('slack'),
      handler: 'handler',
      description: 'Posts SCIM token expiry alerts to a Slack incoming webhook',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      role,
      logGroup,
      // A failed post is retried twice, then kept in the (alarmed) dead-letter queue.
      retryAttempts: 2,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        SLACK_WEBHOOK_SECRET_NAME: secretName,
        POWERTOOLS_SERVICE_NAME: 'scim-token-monitor-slack',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling: BUNDLING,
    });
    // SNS -> Lambda deliveries that fail (e.g. throttled) also end in the dead-letter queue.
    this.alertTopic.addSubscription(
      new subscriptions.LambdaSubscription(forwarder, { deadLetterQueue: this.deadLetterQueue }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.nagArnHead('secretsmanager')}:secret:${secretName}-??????]`,
      reason: 'Secrets Manager appends six random characters to a secret ARN; the name is exact.',
    });
    return forwarder;
  }

  /**
   * The probe may read and decrypt exactly the opted-in SecureStrings: GetParameter on those
   * parameters, and kms:Decrypt only through SSM and only for those parameters (SSM puts the
   * parameter ARN in the encryption context). The key is whichever encrypts them (by default the
   * AWS managed aws/ssm key, whose ID is not known here): hence "key/*", fenced by the conditions.
   */
  private grantProbe(role: iam.Role, tokenNames: readonly string[]): void {
    const stack = Stack.of(this);
    const arns = tokenNames.map((name) =>
      stack.formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: `${this.parameterPrefix.slice(1)}${name}`,
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadStoredTokensToProbe',
        actions: ['ssm:GetParameter'],
        resources: arns,
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptOnlyProbedTokens',
        actions: ['kms:Decrypt'],
        resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
        conditions: {
          StringEquals: { 'kms:ViaService': `ssm.${stack.region}.amazonaws.com` },
          'ForAnyValue:StringEquals': { 'kms:EncryptionContext:PARAMETER_ARN': arns },
        },
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.nagArnHead('kms')}:key/*]`,
      reason:
        'The key of an SSM SecureString is not known at deploy time; decrypt is limited to SSM and to the opted-in parameters by condition.',
    });
  }

  /**
   * `arn:<partition>:<service>:<region>:<account>` as cdk-nag names it in a finding: literal
   * where the stack's environment is known, else `<AWS::Region>` and friends.
   */
  private nagArnHead(service: string): string {
    const stack = Stack.of(this);
    const literal = (value: string, pseudo: string) =>
      Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
    return `arn:${literal(stack.partition, 'Partition')}:${service}:${literal(stack.region, 'Region')}:${literal(stack.account, 'AccountId')}`;
  }

  /** A metric the function emits (Embedded Metric Format), scoped to this deployment's function. */
  public runMetric(metricName: string, period: Duration, statistic: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'ScimTokenMonitor',
      metricName,
      dimensionsMap: { service: 'scim-token-monitor', FunctionName: this.function.functionName },
      period,
      statistic,
    });
  }

  private createDashboard(thresholdsDays: readonly number[]): cloudwatch.Dashboard {
    const day = Duration.days(1);
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(90),
    });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Days to expiry, per token',
        width: 24,
        height: 8,
        left: [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{ScimTokenMonitor,FunctionName,TokenName,service} MetricName="DaysToExpiry" FunctionName="${this.function.functionName}"', 'Minimum', 86400)`,
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
        metrics: [this.runMetric('MinDaysToExpiry', day, cloudwatch.Stats.MINIMUM)],
      }),
      new cloudwatch.SingleValueWidget({
        title: 'Tokens monitored / invalid',
        width: 6,
        metrics: [
          this.runMetric('TokensMonitored', day, cloudwatch.Stats.MAXIMUM),
          this.runMetric('InvalidRegistrations', day, cloudwatch.Stats.MAXIMUM),
        ],
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Monitor health',
        width: 12,
        alarms: [this.errorsAlarm, this.notRunAlarm, this.deadLetterAlarm],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Runs, alerts and errors',
        width: 24,
        left: [
          this.runMetric('RunSucceeded', day, cloudwatch.Stats.SUM),
          this.runMetric('AlertsSent', day, cloudwatch.Stats.SUM),
          this.runMetric('DeliveryFailures', day, cloudwatch.Stats.SUM),
          this.runMetric('ProbesInconclusive', day, cloudwatch.Stats.SUM),
          this.function.metricErrors({ period: day, statistic: cloudwatch.Stats.SUM }),
        ],
      }),
    );
    return dashboard;
  }

  private grantMonitorPermissions(role: iam.Role, eventBus: events.IEventBus): void {
    const stack = Stack.of(this);
    // `/a/b/*` -> arn:<partition>:ssm:<region>:<account>:parameter/a/b/*
    const parameterArn = (name: string) =>
      stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) });

    // Registry: read-only, values not decrypted (no kms:Decrypt is granted anywhere for SSM).
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTokenRegistry',
        actions: ['ssm:GetParametersByPath'],
        resources: [
          parameterArn(this.parameterPrefix.replace(/\/$/, '')),
          parameterArn(`${this.parameterPrefix}*`),
        ],
      }),
    );
    // State: the monitor's own parameters, read and overwritten.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadWriteAlertState',
        actions: ['ssm:GetParameters', 'ssm:PutParameter'],
        resources: [parameterArn(`${this.statePrefix}*`)],
      }),
    );
    // ListInstances has no resource-level permissions: IAM requires "*" here.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListIdentityCenterInstances',
        actions: ['sso:ListInstances'],
        resources: ['*'],
      }),
    );
    this.alertTopic.grantPublish(role);
    eventBus.grantPutEventsTo(role);

    // Each accepted cdk-nag finding, one by one, with its reason.
    const arnHead = this.nagArnHead('ssm');
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${arnHead}:parameter${this.parameterPrefix}*]`,
        reason:
          'Each token is its own parameter under the registry path; the function reads them recursively (read-only).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${arnHead}:parameter${this.statePrefix}*]`,
        reason:
          "Each token's alert state is its own parameter under the state path, which holds nothing else.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'sso:ListInstances supports no resource-level permission; it only lists instance ARNs.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          'Publishing to a KMS-encrypted topic needs kms:GenerateDataKey* on the topic key; grantPublish scopes it to that key.',
      },
    );
  }
}

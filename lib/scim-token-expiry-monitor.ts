import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  emailProblems,
  prefixProblems,
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

export interface ScimTokenExpiryMonitorProps {
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
}

/**
 * Watches IAM Identity Center SCIM access tokens registered in SSM Parameter Store and alerts
 * through an encrypted SNS topic (and EventBridge) 60, 30 and 7 days before each expires.
 *
 * The smallest deployment is `new ScimTokenExpiryMonitor(this, 'Monitor', { alertEmails: [...] })`.
 */
export class ScimTokenExpiryMonitor extends Construct {
  /** The topic every alert is published to. Subscribe more endpoints to it. */
  public readonly alertTopic: sns.Topic;
  /** The customer-managed key that encrypts the topic (rotation on). */
  public readonly topicKey: kms.Key;
  /** The scheduled function that evaluates the tokens. */
  public readonly function: nodejs.NodejsFunction;
  /** The schedule. */
  public readonly rule: events.Rule;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
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

    const problems = [
      ...emailProblems('alertEmails', alertEmails),
      ...validityProblems('validityDays', validityDays),
      ...thresholdProblems('thresholdsDays', thresholdsDays, validityDays),
      ...prefixProblems('parameterPrefix', parameterPrefix),
      ...prefixProblems('statePrefix', statePrefix),
    ];
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
    for (const email of alertEmails) {
      this.alertTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.SIX_MONTHS,
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
      entry: path.join(__dirname, '..', 'lambda', 'monitor', 'handler.ts'),
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
      environment: {
        ALERT_TOPIC_ARN: this.alertTopic.topicArn,
        REGISTRY_PREFIX: this.parameterPrefix,
        STATE_PREFIX: this.statePrefix,
        THRESHOLDS_DAYS: thresholdsDays.join(','),
        DEFAULT_VALIDITY_DAYS: String(validityDays),
        EVENT_BUS_NAME: eventBus.eventBusName,
        ACCOUNT_ID: stack.account,
        POWERTOOLS_SERVICE_NAME: 'scim-token-monitor',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling: {
        // Bundle the SDK clients rather than use the runtime's: the code that runs is the code
        // that was tested, at the versions in package-lock.json.
        externalModules: [],
        minify: true,
        sourceMap: false,
        target: 'node24',
        logLevel: nodejs.LogLevel.WARNING,
      },
    });

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the SCIM token expiry check',
      schedule: props.schedule ?? DEFAULT_SCHEDULE,
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 2 })],
    });

    this.grantMonitorPermissions(role, eventBus);
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
    // cdk-nag names a resource as synthesized: literal where the stack's env is known, else <AWS::...>.
    const literal = (value: string, pseudo: string) =>
      Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
    const arnHead = `arn:${literal(stack.partition, 'Partition')}:ssm:${literal(stack.region, 'Region')}:${literal(stack.account, 'AccountId')}`;
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

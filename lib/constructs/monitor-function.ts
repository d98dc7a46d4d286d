/**
 * The monitor itself: the scheduled function with its own role and log group, the rule that runs
 * it, the rule that routes AWS Health's SCIM token notices to it, the least-privilege grants for
 * what it reads and writes, and the check that runs on deploy.
 */
import { CfnResource, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  MONITOR_ENV as ENV,
  HEALTH_EVENTS,
  POWERTOOLS_ENV,
  SCHEDULED_EVENTS,
  SERVICE_NAMES,
} from '../../core/contract';
import { functionBase } from '../assets';
import { monitorLogGroup } from '../logs';
import { nagArnHead } from '../nag';
import { acknowledgeVpcAccess, type Placement, placementProps } from '../placement';
import type { StoredTokenProbe } from '../props';
import type { AlertDestination } from './alert-channel';
import type { DeliveryLedger } from './delivery-ledger';

export interface MonitorFunctionProps extends Placement {
  readonly alerts: AlertDestination;
  /** The bus that receives a copy of every alert. */
  readonly eventBus: events.IEventBus;
  readonly deadLetterQueue: sqs.IQueue;
  /** Where tokens are registered in Parameter Store, with a trailing slash. */
  readonly parameterPrefix: string;
  /** Alert state and delivery claims. */
  readonly ledger: DeliveryLedger;
  readonly thresholdsDays: readonly number[];
  readonly validityDays: number;
  readonly schedule: events.Schedule;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the log group (AWS Control Tower CT.CLOUDWATCH.PR.3). */
  readonly logsKey: kms.IKey;
  readonly tokenMetrics: boolean;
  /** See `ScimTokenExpiryMonitorProps.observeProvisioning` and `provisioningAlerts`. */
  readonly observeProvisioning: boolean;
  readonly provisioningAlerts?: { readonly failuresAbove?: number; readonly silentHours?: number };
  /** See `ScimTokenExpiryMonitorProps.digestAfter`. */
  readonly digestAfter: number;
  readonly reserveConcurrency: boolean;
  readonly reconcileHealthEvents: boolean;
  readonly runOnDeploy: boolean;
  /** Run the schedule in this IANA time zone (EventBridge Scheduler) instead of UTC (an EventBridge rule). */
  readonly scheduleTimeZone?: string;
  /** The severity ladder (core/severity.ts), passed to the function when not the defaults. */
  readonly pageWithinDays?: number;
  readonly dailyRemindersWithinDays?: number;
  /** Named at the start of every subject; the account ID when absent. */
  readonly environmentName?: string;
  /** Opt-in probe: token names and the SCIM endpoint, passed to the function. */
  readonly probe?: StoredTokenProbe;
}

export class MonitorFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** The schedule, in UTC (an EventBridge rule); none with `scheduleTimeZone`. */
  public readonly rule?: events.Rule;
  /** The schedule in `scheduleTimeZone` (EventBridge Scheduler). */
  public readonly zonedSchedule?: scheduler.Schedule;
  /** Routes AWS Health SCIM token expiry notices to the function, unless turned off. */
  public readonly healthRule?: events.Rule;

  constructor(scope: Construct, id: string, props: MonitorFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.logGroup = monitorLogGroup(this, 'LogGroup', props.logRetention, props.logsKey);

    // A role of our own instead of AWSLambdaBasicExecutionRole: logs go to this log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'SCIM token expiry monitor: reads the registry, records alert state, publishes alerts',
    });
    this.logGroup.grantWrite(this.role);

    this.function = new lambda.Function(this, 'Function', {
      ...functionBase('monitor'),
      description: 'Alerts before IAM Identity Center SCIM access tokens expire',
      memorySize: 256,
      // A run reads ten registrations per SSM page: thousands of tokens take well under a minute,
      // and SDK retries with backoff under throttling need the headroom.
      timeout: Duration.minutes(5),
      role: this.role,
      logGroup: this.logGroup,
      ...placementProps(props),
      // Not needed for correctness (the ledger makes overlapping runs safe); opt-in only.
      ...(props.reserveConcurrency ? { reservedConcurrentExecutions: 1 } : {}),
      // An asynchronous invocation that fails is retried twice, then kept in the queue.
      retryAttempts: 2,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        [ENV.alertTopicArn]: props.alerts.topic.topicArn,
        [ENV.parameterPrefix]: props.parameterPrefix,
        [ENV.ledgerTableName]: props.ledger.table.tableName,
        [ENV.thresholdsDays]: props.thresholdsDays.join(','),
        [ENV.validityDays]: String(props.validityDays),
        // The ARN, not the name: PutEvents needs it for a bus in another account.
        [ENV.eventBusArn]: props.eventBus.eventBusArn,
        [ENV.account]: stack.account,
        ...(props.environmentName ? { [ENV.environmentName]: props.environmentName } : {}),
        [POWERTOOLS_ENV.serviceName]: SERVICE_NAMES.monitor,
        [POWERTOOLS_ENV.logLevel]: 'INFO',
        [ENV.tokenMetrics]: String(props.tokenMetrics),
        [ENV.digestAfter]: String(props.digestAfter),
        [ENV.observeProvisioning]: String(props.observeProvisioning),
        ...(props.provisioningAlerts?.failuresAbove !== undefined
          ? { [ENV.provisioningFailuresAbove]: String(props.provisioningAlerts.failuresAbove) }
          : {}),
        ...(props.provisioningAlerts?.silentHours !== undefined
          ? { [ENV.provisioningSilentHours]: String(props.provisioningAlerts.silentHours) }
          : {}),
        ...(props.pageWithinDays !== undefined ? { [ENV.pageWithinDays]: String(props.pageWithinDays) } : {}),
        ...(props.dailyRemindersWithinDays !== undefined
          ? { [ENV.dailyRemindersWithinDays]: String(props.dailyRemindersWithinDays) }
          : {}),
        ...(props.scheduleTimeZone ? { [ENV.scheduleTimeZone]: props.scheduleTimeZone } : {}),
        ...(props.probe?.tokenNames.length
          ? {
              [ENV.verifyTokens]: props.probe.tokenNames.join(','),
              [ENV.scimEndpoint]: props.probe.scimEndpoint,
            }
          : {}),
      },
    });

    const target = () =>
      new targets.LambdaFunction(this.function, { retryAttempts: 2, deadLetterQueue: props.deadLetterQueue });
    if (props.scheduleTimeZone) {
      // EventBridge rules run in UTC only: a team's time zone needs EventBridge Scheduler. Its
      // input is a scheduled event as the function knows it, with the scheduled instant.
      // Its own role, assumable by Scheduler for this account's schedules only (confused deputy).
      const schedulerRole = new iam.Role(this, 'SchedulerRole', {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
        description: 'EventBridge Scheduler: invokes the SCIM token monitor on its schedule',
      });
      Validations.of(schedulerRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.function.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
        reason:
          "Lambda's grantInvoke adds the function's versions (:*); the schedule invokes this one function.",
      });
      this.zonedSchedule = new scheduler.Schedule(this, 'ZonedSchedule', {
        description: `Runs the SCIM token expiry check (${props.scheduleTimeZone})`,
        schedule: scheduler.ScheduleExpression.expression(
          props.schedule.expressionString,
          TimeZone.of(props.scheduleTimeZone),
        ),
        target: new schedulerTargets.LambdaInvoke(this.function, {
          role: schedulerRole,
          input: scheduler.ScheduleTargetInput.fromObject({
            source: SCHEDULED_EVENTS.schedulerSource,
            'detail-type': SCHEDULED_EVENTS.detailType,
            time: scheduler.ContextAttribute.scheduledTime,
            id: scheduler.ContextAttribute.executionId,
          }),
          retryAttempts: 2,
          deadLetterQueue: props.deadLetterQueue,
        }),
      });
    } else {
      this.rule = new events.Rule(this, 'Schedule', {
        description: 'Runs the SCIM token expiry check',
        schedule: props.schedule,
        targets: [target()],
      });
    }
    if (props.reconcileHealthEvents) {
      // AWS Health sends the notice to the default bus of the region where IAM Identity Center
      // lives: deploy the monitor there.
      this.healthRule = new events.Rule(this, 'HealthNotices', {
        description: 'AWS Health SCIM token expiry notices, reconciled with the registry',
        eventPattern: {
          source: [HEALTH_EVENTS.source],
          detailType: [HEALTH_EVENTS.detailType],
          detail: { eventTypeCode: [HEALTH_EVENTS.scimExpiryEventType] },
        },
        targets: [target()],
      });
    }

    acknowledgeVpcAccess(this.role, props);
    this.grantMonitorPermissions(props);
    if (props.runOnDeploy) this.runOnDeploy(props.alerts.topic);
  }

  /**
   * Runs a check as soon as the stack is deployed, and whenever the function changes: a custom
   * resource whose service token is the monitor itself (functions/monitor/deploy-check.ts), so no
   * provider function of CDK's is deployed, with a log group the stack would not own. The
   * function's current version is a property: a new version updates the resource, and re-runs it.
   */
  private runOnDeploy(alertTopic: sns.ITopic): void {
    const check = new CfnResource(this, 'RunOnDeploy', {
      type: 'Custom::ScimTokenMonitorDeployCheck',
      properties: {
        ServiceToken: this.function.functionArn,
        FunctionVersion: this.function.currentVersion.version,
      },
    });
    // After what the check reads and reports to: the topic and the schedule.
    check.node.addDependency(alertTopic);
    if (this.rule) check.node.addDependency(this.rule);
    if (this.zonedSchedule) check.node.addDependency(this.zonedSchedule);
    Validations.of(this.function).acknowledge({
      id: 'Annotation::@aws-cdk/aws-lambda:addPermissionsToVersionOrAlias',
      reason:
        'The schedule and CloudFormation invoke the unqualified function; the version only marks a change of code.',
    });
  }

  private grantMonitorPermissions(props: MonitorFunctionProps): void {
    const stack = Stack.of(this);
    const role = this.role;
    // `/a/b/*` -> arn:<partition>:ssm:<region>:<account>:parameter/a/b/*
    const parameterArn = (name: string) =>
      stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) });

    // Registry: read-only, values not decrypted (no kms:Decrypt is granted anywhere for SSM).
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTokenRegistry',
        actions: ['ssm:GetParametersByPath'],
        resources: [
          parameterArn(props.parameterPrefix.replace(/\/$/, '')),
          parameterArn(`${props.parameterPrefix}*`),
        ],
      }),
    );
    // State and delivery claims: the ledger table only, the calls the monitor makes only.
    props.ledger.grantMonitor(role);
    // ListInstances has no resource-level permissions: IAM requires "*" here.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListIdentityCenterInstances',
        actions: ['sso:ListInstances'],
        resources: ['*'],
      }),
    );
    // Provisioning observed: the SCIM calls CloudTrail's Event history recorded. LookupEvents has no
    // resource-level permission; it reads management events' records (request bodies are masked).
    if (props.observeProvisioning) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadScimCallsFromEventHistory',
          actions: ['cloudtrail:LookupEvents'],
          resources: ['*'],
        }),
      );
    }
    props.alerts.grantPublish(role);
    // Each scheduled run counts the topic's confirmed subscriptions (an alert nobody receives is
    // no alert): one read-only call, on this topic only.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'CountAlertTopicSubscribers',
        actions: ['sns:GetTopicAttributes'],
        resources: [props.alerts.topic.topicArn],
      }),
    );
    props.eventBus.grantPutEventsTo(role);

    // Each accepted cdk-nag finding, one by one, with its reason.
    const arnHead = nagArnHead(this, 'ssm');
    Validations.of(role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${arnHead}:parameter${props.parameterPrefix}*]`,
        reason:
          'Each token is its own parameter under the registry path; the function reads them recursively (read-only).',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'sso:ListInstances and cloudtrail:LookupEvents support no resource-level permission; one lists instance ARNs, the other reads Event history (SCIM calls only are asked for).',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          'Publishing to a KMS-encrypted topic needs kms:GenerateDataKey* on the topic key; grantPublish scopes it to that key.',
      },
    );
  }
}

/**
 * The alarm relay: the action of every one of the monitor's own alarms. A small function that
 * publishes the alarm's change to the alert topic as an alert, with the alerts' message attributes,
 * so a subscriber filtered on `{"severity": ["critical"]}` (a pager) also hears that the monitor
 * itself is failing. A CloudWatch alarm publishing to SNS directly carries no attributes, and a
 * filtered subscription never receives it.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { POWERTOOLS_ENV, RELAY_ENV, SERVICE_NAMES } from '../../core/contract';
import { functionBase } from '../assets';
import { monitorLogGroup } from '../logs';
import { acknowledgeVpcAccess, type Placement, placementProps } from '../placement';
import type { AlertDestination } from './alert-channel';

export interface AlarmRelayProps extends Placement {
  /** Where alarms are published, as alerts. */
  readonly alerts: AlertDestination;
  /** A relay that fails after its retries keeps the event here. */
  readonly deadLetterQueue: sqs.IQueue;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the relay's log group. */
  readonly logsKey: kms.IKey;
  /** Named at the start of every subject; the account ID when absent. */
  readonly environmentName?: string;
}

export class AlarmRelay extends Construct {
  public readonly function: lambda.Function;
  /** Publishes to the alert topic: an existing topic's policy must admit it. */
  public readonly role: iam.IRole;
  private readonly action: cloudwatch.IAlarmAction;

  constructor(scope: Construct, id: string, props: AlarmRelayProps) {
    super(scope, id);
    const logGroup = monitorLogGroup(this, 'LogGroup', props.logRetention, props.logsKey);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "SCIM token monitor alarm relay: publishes the monitor's own alarms to the alert topic",
    });
    this.role = role;
    logGroup.grantWrite(role);
    props.alerts.grantPublish(role);
    acknowledgeVpcAccess(role, props);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to a KMS-encrypted topic needs kms:GenerateDataKey* on the topic key; grantPublish scopes it to that key.',
    });
    this.function = new lambda.Function(this, 'Function', {
      ...functionBase('alarm-relay'),
      description: "Publishes the SCIM token monitor's own alarms to the alert topic, as critical alerts",
      memorySize: 128,
      timeout: Duration.seconds(30),
      role,
      logGroup,
      ...placementProps(props),
      // CloudWatch invokes alarm actions asynchronously: a failed publish is retried twice, then
      // kept in the (alarmed) dead-letter queue.
      retryAttempts: 2,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        [RELAY_ENV.alertTopicArn]: props.alerts.topic.topicArn,
        ...(props.environmentName ? { [RELAY_ENV.environmentName]: props.environmentName } : {}),
        [POWERTOOLS_ENV.serviceName]: SERVICE_NAMES.alarmRelay,
        [POWERTOOLS_ENV.logLevel]: 'INFO',
      },
    });
    // One permission per alarm (the default id would collide from the second alarm on).
    this.action = new cloudwatchActions.LambdaAction(this.function, { useUniquePermissionId: true });
  }

  /** Makes the relay the alarm's action on ALARM and on OK. */
  public relay(alarm: cloudwatch.Alarm): void {
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
  }
}

/**
 * `ScimTokenHealthForwarder`: for the account that owns the IAM Identity Center instance (an
 * organization's management account), in the instance's region (and optionally us-west-2 for the
 * backup copies). It forwards exactly AWS Health's SCIM token expiry notices to the monitor's bus in
 * another account, which must admit this account (`organization.healthSourceAccounts` on the
 * monitor). A forward that still fails after EventBridge's retries waits in a dead-letter queue,
 * whose alarm's changes are forwarded the same way: the monitor's alarm relay tells its on-call.
 */
import { Names } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_EVENTS, FORWARDER, HEALTH_EVENTS } from '../core/contract';
import { DeadLetters } from './constructs/dead-letters';

export interface ScimTokenHealthForwarderProps {
  /** The monitor's event bus (its account's default bus), e.g. `arn:aws:events:eu-west-1:222222222222:event-bus/default`. */
  readonly targetBusArn: string;
}

export class ScimTokenHealthForwarder extends Construct {
  /** The rule that forwards the notices. */
  public readonly rule: events.IRule;
  /** Deliveries that still failed after EventBridge's retries wait here for 14 days. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** A forward failed: its changes of state reach the monitor's on-call through the monitor's bus. */
  public readonly deadLetterAlarm: cloudwatch.IAlarm;
  /** The rule that forwards the alarm's changes of state. */
  public readonly alarmRule: events.IRule;

  constructor(scope: Construct, id: string, props: ScimTokenHealthForwarderProps) {
    super(scope, id);
    // Names the monitor's side admits (core/contract.ts FORWARDER): unique in the account, at most 64.
    const name = (what: string) =>
      `${FORWARDER.namePrefix}${what}-${Names.uniqueResourceName(this, { maxLength: 64 - FORWARDER.namePrefix.length - what.length - 1 })}`;
    const deadLetters = new DeadLetters(this, 'Failed', {
      alarmName: name('failed'),
      alarmDescription:
        "The AWS Health forwarder could not deliver a SCIM token notice to the monitor's bus after every retry: it waits in the forwarder's dead-letter queue. Check that the monitor admits this account (organization.healthSourceAccounts) and redrive the message.",
    });
    this.deadLetterQueue = deadLetters.queue;
    const alarm = deadLetters.alarm as cloudwatch.Alarm;
    // An action of its own here (AWS Control Tower's CT.CLOUDWATCH.PR.1 wants one): an OpsItem in
    // this account's OpsCenter, a record where no one is subscribed to anything.
    alarm.addAlarmAction(
      new cloudwatchActions.SsmAction(
        cloudwatchActions.OpsItemSeverity.HIGH,
        cloudwatchActions.OpsItemCategory.AVAILABILITY,
      ),
    );
    this.deadLetterAlarm = alarm;
    const monitorBus = new targets.EventBus(
      events.EventBus.fromEventBusArn(this, 'MonitorBus', props.targetBusArn),
      {
        deadLetterQueue: deadLetters.queue,
      },
    );
    this.rule = new events.Rule(this, 'ScimTokenNotices', {
      ruleName: name('notices'),
      description: "Forwards AWS Health's SCIM token expiry notices to the SCIM token monitor's bus",
      eventPattern: {
        source: [HEALTH_EVENTS.source],
        detailType: [HEALTH_EVENTS.detailType],
        detail: { eventTypeCode: [HEALTH_EVENTS.scimExpiryEventType] },
      },
      // A role of its own that may put events on that one bus (targets.EventBus creates it).
      targets: [monitorBus],
    });
    this.alarmRule = new events.Rule(this, 'FailedAlarmChanges', {
      ruleName: name('alarm'),
      description: "Forwards the forwarder's dead-letter alarm's changes to the SCIM token monitor's bus",
      eventPattern: {
        source: [ALARM_EVENTS.source],
        detailType: [ALARM_EVENTS.detailType],
        resources: [alarm.alarmArn],
      },
      targets: [monitorBus],
    });
  }
}

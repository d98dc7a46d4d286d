/**
 * `ScimTokenHealthForwarder`: for the account that owns the IAM Identity Center instance (an
 * organization's management account), in the instance's region (and optionally us-west-2 for the
 * backup copies). It forwards exactly AWS Health's SCIM token expiry notices to the monitor's bus in
 * another account, which must admit this account (`healthSourceAccounts` on the monitor).
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HEALTH_EVENTS } from '../core/contract';
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

  constructor(scope: Construct, id: string, props: ScimTokenHealthForwarderProps) {
    super(scope, id);
    // No alarm here yet: this account has no one to tell (an alarm without an action fails
    // CT.CLOUDWATCH.PR.1); the monitor's doctor and AWS's weekly renewals of the notice are the check.
    const deadLetters = new DeadLetters(this, 'Failed', { alarm: false });
    this.deadLetterQueue = deadLetters.queue;
    this.rule = new events.Rule(this, 'ScimTokenNotices', {
      description: "Forwards AWS Health's SCIM token expiry notices to the SCIM token monitor's bus",
      eventPattern: {
        source: [HEALTH_EVENTS.source],
        detailType: [HEALTH_EVENTS.detailType],
        detail: { eventTypeCode: [HEALTH_EVENTS.scimExpiryEventType] },
      },
      // A role of its own that may put events on that one bus (targets.EventBus creates it).
      targets: [
        new targets.EventBus(events.EventBus.fromEventBusArn(this, 'MonitorBus', props.targetBusArn), {
          deadLetterQueue: deadLetters.queue,
        }),
      ],
    });
  }
}

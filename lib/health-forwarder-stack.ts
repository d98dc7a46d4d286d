/**
 * `ScimTokenHealthForwarder`: deployed where AWS Health delivers the SCIM token notice (the
 * account that owns the IAM Identity Center instance, in its region, and optionally us-west-2 for
 * the backup copies), it forwards exactly those events to the monitor's bus in another account.
 * That bus must allow this account (`healthSourceAccounts` on the monitor's stack).
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { SCIM_EXPIRY_EVENT_TYPE } from '../core/health';
import { DeadLetters } from './constructs/dead-letters';

export interface ScimTokenHealthForwarderStackProps extends StackProps {
  /** The monitor's event bus (its default bus), e.g. `arn:aws:events:eu-west-1:222222222222:event-bus/default`. */
  readonly targetBusArn: string;
}

export class ScimTokenHealthForwarderStack extends Stack {
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ScimTokenHealthForwarderStackProps) {
    super(scope, id, props);
    // A delivery that still fails after EventBridge's retries waits here for 14 days. No alarm:
    // this account has no one to tell (an alarm without an action fails CT.CLOUDWATCH.PR.1); the
    // monitor's doctor and its weekly notices are the check (AWS renews the notice weekly or more).
    const deadLetters = new DeadLetters(this, 'Failed', { alarm: false });
    this.rule = new events.Rule(this, 'ScimTokenNotices', {
      description: "Forwards AWS Health's SCIM token expiry notices to the SCIM token monitor's bus",
      eventPattern: {
        source: ['aws.health'],
        detailType: ['AWS Health Event'],
        detail: { eventTypeCode: [SCIM_EXPIRY_EVENT_TYPE] },
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

/**
 * The app's second stack, `ScimTokenHealthForwarder` (with `healthForwarderTargetBus`): the
 * library's forwarder construct, on its own, for the account that owns IAM Identity Center.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ScimTokenHealthForwarder } from '../lib/health-forwarder';

export interface ScimTokenHealthForwarderStackProps extends StackProps {
  /** The monitor's event bus (its default bus), e.g. `arn:aws:events:eu-west-1:222222222222:event-bus/default`. */
  readonly targetBusArn: string;
}

export class ScimTokenHealthForwarderStack extends Stack {
  public readonly forwarder: ScimTokenHealthForwarder;

  constructor(scope: Construct, id: string, props: ScimTokenHealthForwarderStackProps) {
    super(scope, id, props);
    // The id keeps the rule's and queue's logical IDs what they were when the stack held them.
    this.forwarder = new ScimTokenHealthForwarder(this, 'Default', { targetBusArn: props.targetBusArn });
  }
}

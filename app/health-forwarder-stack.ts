/**
 * The app's second stack, `ScimTokenHealthForwarder` (with `healthForwarderTargetBus`): the
 * library's forwarder construct, on its own, for the account that owns IAM Identity Center.
 */
import { App, CfnParameter, DefaultStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ScimTokenHealthForwarder } from '../lib/health-forwarder';

export interface ScimTokenHealthForwarderStackProps extends StackProps {
  /** The monitor's event bus (its default bus), e.g. `arn:aws:events:eu-west-1:222222222222:event-bus/default`. */
  readonly targetBusArn: string;
}

/**
 * No CDK bootstrap needed: the forwarder has no asset, so its template carries no
 * `BootstrapVersion` rule and deploys into a management account that was never bootstrapped
 * (many organizations forbid it there), with CloudFormation alone.
 */
const NO_BOOTSTRAP = () => new DefaultStackSynthesizer({ generateBootstrapVersionRule: false });

export class ScimTokenHealthForwarderStack extends Stack {
  public readonly forwarder: ScimTokenHealthForwarder;

  constructor(scope: Construct, id: string, props: ScimTokenHealthForwarderStackProps) {
    super(scope, id, { synthesizer: NO_BOOTSTRAP(), ...props });
    // The id keeps the rule's and queue's logical IDs what they were when the stack held them.
    this.forwarder = new ScimTokenHealthForwarder(this, 'Default', { targetBusArn: props.targetBusArn });
  }
}

/** The name the plain template's parameter has: the monitor's bus ARN. */
export const MONITOR_BUS_PARAMETER = 'MonitorBusArn';

/**
 * The forwarder as a plain CloudFormation template (what the package ships, for `aws
 * cloudformation deploy` or a StackSet): the monitor's bus ARN is a parameter.
 */
export function forwarderTemplate(): Record<string, unknown> {
  const app = new App();
  const stack = new Stack(app, 'ScimTokenHealthForwarder', {
    synthesizer: NO_BOOTSTRAP(),
    description:
      "scim-token-monitor: forwards AWS Health's SCIM token expiry notices (and the forwarder's own dead-letter alarm) to the monitor's event bus in another account",
  });
  const bus = new CfnParameter(stack, MONITOR_BUS_PARAMETER, {
    type: 'String',
    description:
      "The monitor's event bus: its account's default bus, e.g. arn:aws:events:eu-west-1:222222222222:event-bus/default",
    allowedPattern: '^arn:aws(-cn|-us-gov)?:events:[a-z0-9-]+:\\d{12}:event-bus/[A-Za-z0-9._/-]+$',
  });
  new ScimTokenHealthForwarder(stack, 'Default', { targetBusArn: bus.valueAsString });
  return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
}

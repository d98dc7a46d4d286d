/**
 * Organization topology: AWS Health delivers the SCIM token notice to the account that owns the
 * IAM Identity Center instance (an organization's management account). This lets the listed
 * accounts put exactly that kind of event on this region's default bus, where the monitor's
 * Health rule picks it up (the `ScimTokenHealthForwarder` stack forwards it from there).
 */
import { Names, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { HEALTH_EVENTS } from '../../core/contract';

export interface HealthSourcesProps {
  /** Accounts whose AWS Health SCIM token notices come to this bus (12-digit IDs). */
  readonly accounts: readonly string[];
}

export class HealthSources extends Construct {
  public readonly policy: events.CfnEventBusPolicy;

  constructor(scope: Construct, id: string, props: HealthSourcesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.policy = new events.CfnEventBusPolicy(this, 'Policy', {
      eventBusName: 'default',
      // Unique per stack, as the bus is shared: [A-Za-z0-9_-], at most 64 characters.
      statementId: Names.uniqueResourceName(this, { maxLength: 64, separator: '-' }),
      statement: {
        Effect: 'Allow',
        Principal: { AWS: props.accounts.map((a) => `arn:${stack.partition}:iam::${a}:root`) },
        Action: 'events:PutEvents',
        Resource: stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }),
        // AWS Health events only: nothing else from those accounts reaches this bus. Both keys
        // are multivalued (one PutEvents carries several entries): every entry must match, and
        // the keys must be there (ForAllValues alone would pass a request without them).
        Condition: {
          'ForAllValues:StringEquals': {
            'events:source': [HEALTH_EVENTS.source],
            'events:detail-type': [HEALTH_EVENTS.detailType],
          },
          Null: { 'events:source': 'false', 'events:detail-type': 'false' },
        },
      },
    });
  }
}

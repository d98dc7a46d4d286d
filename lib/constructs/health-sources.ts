/**
 * Organization topology: AWS Health delivers the SCIM token notice to the account that owns the
 * IAM Identity Center instance (an organization's management account). This lets the listed
 * accounts' `ScimTokenHealthForwarder` rules, and nothing else of theirs, put exactly two kinds of
 * event on this region's default bus: AWS Health's notices (the monitor's Health rule picks them
 * up) and the forwarder's own dead-letter alarm changing state (routed here to the alarm relay, so
 * a notice the forwarder could not deliver pages the monitor's on-call).
 */
import { Names, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_EVENTS, FORWARDER, HEALTH_EVENTS } from '../../core/contract';

export interface HealthSourcesProps {
  /** Accounts whose AWS Health SCIM token notices come to this bus (12-digit IDs). */
  readonly accounts: readonly string[];
  /** Where the forwarders' alarms go: the monitor's alarm relay. */
  readonly alarmRelay: lambda.IFunction;
  /** A relay that still fails after its retries keeps the event here. */
  readonly deadLetterQueue: sqs.IQueue;
}

export class HealthSources extends Construct {
  public readonly policy: events.CfnEventBusPolicy;
  public readonly alarmPolicy: events.CfnEventBusPolicy;
  /** Routes the forwarders' alarm changes to the relay. */
  public readonly alarmRule: events.Rule;

  constructor(scope: Construct, id: string, props: HealthSourcesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Only the forwarder's rules (in any region: the backup copies come from us-west-2) may put
    // events here: the narrowest AWS allows, since a bus policy cannot see an event's detail.
    const forwarderRules = props.accounts.map((a) =>
      stack.formatArn({
        service: 'events',
        region: '*',
        account: a,
        resource: 'rule',
        resourceName: `${FORWARDER.namePrefix}*`,
      }),
    );
    const admit = (id: string, suffix: string, source: string, detailType: string) =>
      new events.CfnEventBusPolicy(this, id, {
        eventBusName: 'default',
        // Unique per stack, as the bus is shared: [A-Za-z0-9_-], at most 64 characters.
        statementId:
          Names.uniqueResourceName(this, { maxLength: 64 - suffix.length, separator: '-' }) + suffix,
        statement: {
          Effect: 'Allow',
          Principal: { AWS: props.accounts.map((a) => `arn:${stack.partition}:iam::${a}:root`) },
          Action: 'events:PutEvents',
          Resource: stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }),
          // Both keys are multivalued (one PutEvents carries several entries): every entry must
          // match, and the keys must be there (ForAllValues alone would pass a request without them).
          Condition: {
            'ForAllValues:StringEquals': { 'events:source': [source], 'events:detail-type': [detailType] },
            Null: { 'events:source': 'false', 'events:detail-type': 'false' },
            ArnLike: { 'aws:SourceArn': forwarderRules },
          },
        },
      });
    // The id "Policy" and an empty suffix keep the first statement's identity from before.
    this.policy = admit('Policy', '', HEALTH_EVENTS.source, HEALTH_EVENTS.detailType);
    this.alarmPolicy = admit('AlarmPolicy', '-alarms', ALARM_EVENTS.source, ALARM_EVENTS.detailType);
    this.alarmRule = new events.Rule(this, 'ForwarderAlarms', {
      description: "Relays the AWS Health forwarders' dead-letter alarms to the SCIM token monitor's on-call",
      eventPattern: {
        source: [ALARM_EVENTS.source],
        detailType: [ALARM_EVENTS.detailType],
        account: [...props.accounts],
        detail: { alarmName: [{ prefix: FORWARDER.namePrefix }] },
      },
      targets: [
        new targets.LambdaFunction(props.alarmRelay, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: 2,
        }),
      ],
    });
  }
}

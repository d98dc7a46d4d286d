/**
 * The alerting channel: the SNS topic every alert and alarm goes to, the customer-managed key
 * that encrypts it, the policies that let this account's CloudWatch alarms use it, and the email
 * subscriptions. Or, with `existingTopic`, someone else's topic, used as it is.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlertChannelProps {
  /**
   * Publish to this topic instead of creating one. Its owner manages its encryption and policy.
   * @default - a new topic encrypted with a new customer-managed key, TLS only
   */
  readonly existingTopic?: sns.ITopic;
  /**
   * Email addresses subscribed to the topic (each must confirm the subscription email).
   * @default - none
   */
  readonly emails?: readonly string[];
}

export class AlertChannel extends Construct {
  /** The topic every alert is published to. */
  public readonly topic: sns.ITopic;
  /** The key that encrypts the topic this construct creates; none for an existing topic. */
  public readonly key?: kms.Key;

  constructor(scope: Construct, id: string, props: AlertChannelProps = {}) {
    super(scope, id);
    if (props.existingTopic) {
      // An existing topic: its owner manages its encryption and its policy. If it is encrypted with
      // a customer-managed key, that key must let this function and CloudWatch alarms use it.
      this.topic = props.existingTopic;
    } else {
      this.key = new kms.Key(this, 'TopicKey', {
        description: 'Encrypts the SCIM token expiry alert topic',
        enableKeyRotation: true,
        // The key protects messages in transit through SNS only: nothing is left encrypted with it
        // once the stack is gone, so it is scheduled for deletion with the stack.
        removalPolicy: RemovalPolicy.DESTROY,
        pendingWindow: Duration.days(7),
      });
      this.topic = new sns.Topic(this, 'AlertTopic', {
        displayName: 'SCIM token expiry alerts',
        masterKey: this.key,
        enforceSSL: true,
      });
      // CloudWatch alarms publish to the encrypted topic: let CloudWatch (of this account only) use the key.
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToPublish',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
      );
    }
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }
}

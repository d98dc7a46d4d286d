/**
 * The alerting channel: the SNS topic every alert and alarm goes to, the customer-managed key
 * that encrypts it (and the monitor's logs), the policies that let this account's CloudWatch
 * alarms use them, and the email subscriptions. Or, with `existingTopic`, someone else's topic,
 * used as it is: docs/governed-organizations.md says what its policy must allow.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { monitorKey } from '../keys';

/** The key of a topic created in this app (not imported), whose policy can still be extended here. */
function ownedKeyOf(topic: sns.ITopic): kms.IKey | undefined {
  return topic instanceof sns.Topic && topic.masterKey instanceof kms.Key ? topic.masterKey : undefined;
}

export interface AlertChannelProps {
  /**
   * Publish to this topic instead of creating one. Its owner manages its encryption and policy.
   * @default - a new topic encrypted with a new customer-managed key, TLS only
   */
  readonly existingTopic?: sns.ITopic;
  /**
   * The customer-managed key of `existingTopic`, when it is encrypted with one from elsewhere: the
   * publishers may then use it, only through SNS in this region.
   * @default - none: the topic is created here, or its key is not customer-managed
   */
  readonly existingTopicKey?: kms.IKey;
  /**
   * Email addresses subscribed to the topic (each must confirm the subscription email).
   * @default - none
   */
  readonly emails?: readonly string[];
}

/** Where alerts go, and how a publisher is allowed to send them there. */
export interface AlertDestination {
  readonly topic: sns.ITopic;
  grantPublish(grantee: iam.IGrantable): void;
}

export class AlertChannel extends Construct implements AlertDestination {
  /** The topic every alert is published to. */
  public readonly topic: sns.ITopic;
  /** The key that encrypts the topic this construct creates; none for an existing topic. */
  public readonly key?: kms.Key;
  private readonly existingTopicKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: AlertChannelProps = {}) {
    super(scope, id);
    if (props.existingTopicKey) this.existingTopicKey = props.existingTopicKey;
    if (props.existingTopic) {
      // An existing topic: its owner manages its encryption and its policy. A topic (and key) of
      // this same app still gets the statements the monitor's alarms need below; an imported one
      // cannot be changed from here: docs/governed-organizations.md says what it must allow.
      this.topic = props.existingTopic;
    } else {
      this.key = monitorKey(
        this,
        'TopicKey',
        'Encrypts the SCIM token expiry alert topic and the monitor logs',
      );
      this.topic = new sns.Topic(this, 'AlertTopic', {
        displayName: 'SCIM token expiry alerts',
        masterKey: this.key,
        enforceSSL: true,
      });
    }
    this.allowAlarms(this.topic, this.key ?? ownedKeyOf(this.topic));
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }

  /**
   * Lets a publisher (the monitor function, the alarm relay) publish alerts: `sns:Publish` on the
   * topic and, for a topic of this app, its key (grantPublish knows it); for an existing topic's
   * key from elsewhere, the key's use only through SNS in this region.
   */
  public grantPublish(grantee: iam.IGrantable): void {
    this.topic.grantPublish(grantee);
    if (this.existingTopicKey) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'UseTheAlertTopicKeyThroughSns',
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: [this.existingTopicKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `sns.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
  }

  /**
   * This account's CloudWatch alarms (the monitor's own) publish to the topic: enforceSSL
   * replaces SNS's default topic policy, so they need an explicit allow, and the key must let
   * them encrypt. AWS's confused-deputy conditions: this account, and an alarm of it.
   */
  private allowAlarms(topic: sns.ITopic, key: kms.IKey | undefined): void {
    const stack = Stack.of(this);
    const fromThisAccountsAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    const cloudwatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromThisAccountsAlarms,
      }),
    );
    key?.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [cloudwatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccountsAlarms,
      }),
    );
  }
}

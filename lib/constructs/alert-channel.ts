/**
 * The alerting channel: the SNS topic every alert goes to, the customer-managed key that encrypts
 * it (and the monitor's logs), and the email subscriptions. Or, with `existingTopic`, someone
 * else's topic, used as it is: docs/governed-organizations.md says what its policy must allow.
 *
 * Only what must publish can: the publishers this construct is told about (the monitor function
 * and the alarm relay), each through its role, and each using the key only through SNS. No
 * CloudWatch principal is admitted: the monitor's alarms act through the relay. `allowAlarms`
 * admits named alarms of the caller's, and nothing else.
 */
import { ArnFormat, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { monitorKey, viaService } from '../keys';

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
  private readonly admittedAlarms: string[] = [];

  constructor(scope: Construct, id: string, props: AlertChannelProps = {}) {
    super(scope, id);
    if (props.existingTopicKey) this.existingTopicKey = props.existingTopicKey;
    if (props.existingTopic) {
      // An existing topic: its owner manages its encryption and its policy (an imported one cannot
      // be changed from here: docs/governed-organizations.md says what it must allow).
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
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }

  /** The customer-managed key publishers must use, when it is known here. */
  private get publishKey(): kms.IKey | undefined {
    return this.key ?? this.existingTopicKey ?? ownedKeyOf(this.topic);
  }

  /**
   * Lets a publisher (the monitor function, the alarm relay) publish alerts: `sns:Publish` on the
   * topic, and the topic's key (when it is known here) only through SNS in this region. Not
   * `topic.grantPublish`, which grants the key for any use.
   */
  public grantPublish(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn] });
    const key = this.publishKey;
    if (key) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'UseTheAlertTopicKeyThroughSns',
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': viaService(this, 'sns') } },
        }),
      );
    }
  }

  /**
   * Lets the CloudWatch alarms with these names, and no other, publish to the topic directly (an
   * `SnsAction` on the topic): enforceSSL replaces SNS's default topic policy, so they need an
   * explicit allow, and the key must let them encrypt. By name (each alarm given that
   * `alarmName`), not by reference: the key would otherwise depend on the alarm, which may depend
   * on the monitor's function, which depends on the key. The monitor's own alarms need none of
   * it: they act through the alarm relay. Only for a topic (and key) created in this app; an
   * imported topic's owner admits them in its own policy.
   */
  public allowAlarms(alarmNames: readonly string[]): void {
    const first = this.admittedAlarms.length === 0;
    const stack = Stack.of(this);
    for (const name of alarmNames) {
      if (Token.isUnresolved(name) || !/^[^\s:]{1,255}$/.test(name)) {
        throw new Error(
          `allowAlarmsToPublish: "${name}" is not an alarm name given in code (set alarmName on the alarm, and pass that string).`,
        );
      }
      this.admittedAlarms.push(
        stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: name,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      );
    }
    if (!first || this.admittedAlarms.length === 0) return;
    const fromTheseAlarms = {
      StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      ArnEquals: { 'aws:SourceArn': Lazy.list({ produce: () => this.admittedAlarms }) },
    };
    const cloudwatchPrincipal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TheseAlarmsMayPublish',
        principals: [cloudwatchPrincipal],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromTheseAlarms,
      }),
    );
    (this.key ?? ownedKeyOf(this.topic))?.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TheseAlarmsMayEncrypt',
        principals: [cloudwatchPrincipal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromTheseAlarms,
      }),
    );
  }
}
